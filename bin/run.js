#!/usr/bin/env node
// `apex --version` answers without loading oclif, which is half of the CLI's start-up; the text is oclif's own
// (config.userAgent), as a unit test checks.
if (process.argv.length === 3 && process.argv[2] === '--version') {
  const { readFileSync } = await import('node:fs');
  const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  console.log(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}`);
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
