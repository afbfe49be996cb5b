// Build step after tsc: bundles each door in dist/vendor/ (tsc's re-exports of a library) with everything it
// imports, in place; code two libraries share goes to a chunk beside them. Loading a library then reads a few files
// instead of hundreds, about a third of the time it takes from node_modules.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dir = fileURLToPath(new URL('../dist/vendor', import.meta.url));
const doors = readdirSync(new URL('../src/vendor', import.meta.url)).map((file) => file.replace(/\.ts$/, '.js'));
// CommonJS code gets a real `require` for Node's built-ins, and a __dirname: ssh2 (dockerode's, for ssh:// engines)
// computes a path from it when loaded. The files such paths name serve what apex does not use (dockerode's BuildKit
// builds, grpc-js' channelz, ssh2's Windows pageant helper).
const banner = [
  "import { createRequire } from 'node:module';",
  "import { dirname } from 'node:path';",
  "import { fileURLToPath } from 'node:url';",
  'const require = createRequire(import.meta.url);',
  'const __dirname = dirname(fileURLToPath(import.meta.url));',
].join(' ');
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
  // ssh2's optional native parts stay out, as when they are not built: it then uses its JavaScript code.
  external: ['*.node', 'cpu-features'],
  banner: { js: banner },
  logLevel: 'warning',
});
// tsc's source maps describe the re-export files, not the bundles.
for (const file of doors) rmSync(join(dir, `${file}.map`), { force: true });
