// Build step after tsc: bundles each store client library behind its door in dist/vendor/ (tsc's re-exports) with
// everything it imports, in place; code two libraries share goes to a chunk beside them. Loading a library then reads
// a few files instead of hundreds: the six take about a third of the time they take from node_modules, and a command
// loads only those of the stores it touches. Node built-ins stay imports; the libraries' CommonJS code gets a real
// `require` for them. Temporal's worker packages are not here: they load native code and stay in node_modules.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dir = fileURLToPath(new URL('../dist/vendor', import.meta.url));
const doors = readdirSync(new URL('../src/vendor', import.meta.url)).map((file) => file.replace(/\.ts$/, '.js'));
await build({
  entryPoints: doors.map((file) => join(dir, file)),
  outdir: dir,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  // Error and class names stay as the libraries wrote them: failure diagnosis matches on them.
  keepNames: true,
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
// tsc's source maps describe the re-export files, not the bundles.
for (const file of doors) rmSync(join(dir, `${file}.map`), { force: true });
