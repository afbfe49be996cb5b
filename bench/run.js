// Runs every benchmark in bench/ one after the other (*.bench.js with node, *.bench.ts with tsx), passing the
// arguments through. Each prints its own figures as ratios against a baseline it measures beside them.
// Run: npm run bench [-- --only cli]
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const dir = fileURLToPath(new URL('.', import.meta.url));
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;
const passThrough = onlyIndex > 0 ? process.argv.slice(2).filter((_, i) => i !== onlyIndex - 2 && i !== onlyIndex - 1) : process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((file) => /\.bench\.(js|ts)$/.test(file))
  .filter((file) => !only || file.startsWith(`${only}.`))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n## ${file}\n`);
  const command = file.endsWith('.ts') ? ['npx', ['tsx', `bench/${file}`, ...passThrough]] : ['node', [`bench/${file}`, ...passThrough]];
  const result = await execa(command[0], command[1], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit', reject: false });
  if (result.exitCode !== 0) {
    failed += 1;
    process.stdout.write(`${file} failed (exit ${result.exitCode})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
