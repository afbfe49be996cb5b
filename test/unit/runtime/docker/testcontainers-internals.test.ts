import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * apex reaches into testcontainers' build/ folder, which its semver does not cover. Every such import lives in one
 * adapter; this test reads the adapter's imports and checks each one against the installed testcontainers, so that
 * an upgrade that moves or removes one fails here by name instead of at a user's `apex up`.
 */
const ADAPTER = 'src/runtime/docker/testcontainers-internals.ts';
const source = readFileSync(new URL(`../../../../${ADAPTER}`, import.meta.url), 'utf8');
const version = (createRequire(import.meta.url)('testcontainers/package.json') as { version: string }).version;
const imports = [...source.matchAll(/export \{ (\w+) \} from '(testcontainers\/build\/[^']+)';/g)].map(([, name, specifier]) => ({ name, specifier }));

/** Methods apex calls on what it imports (the engine strategies' getResult). */
const METHODS: Record<string, string[]> = {
  ConfigurationStrategy: ['getResult'],
  NpipeSocketStrategy: ['getResult'],
  RootlessUnixSocketStrategy: ['getResult'],
  TestcontainersHostStrategy: ['getResult'],
  UnixSocketStrategy: ['getResult'],
};

describe(`testcontainers ${version} internals that apex uses (${ADAPTER})`, () => {
  it('reads every import of the adapter', () => {
    expect(imports.length).toBeGreaterThan(0);
    expect(imports).toHaveLength(source.split("from 'testcontainers/build/").length - 1);
  });

  it.each(imports)('$name is still exported by $specifier', async ({ name, specifier }) => {
    const upgrade = `testcontainers ${version} moved or removed ${name}, which ${ADAPTER} re-exports from ${specifier}`;
    const module = (await import(specifier).catch((error: unknown) => {
      throw new Error(`${upgrade}: ${String(error)}. Find where ${version} keeps it and update the adapter.`);
    })) as Record<string, unknown>;
    if (typeof module[name] !== 'function') throw new Error(`${upgrade}: the module has no class ${name} (exports: ${Object.keys(module).join(', ')}).`);
    const prototype = (module[name] as { prototype: Record<string, unknown> }).prototype;
    const missing = (METHODS[name] ?? []).filter((method) => typeof prototype[method] !== 'function');
    if (missing.length > 0) throw new Error(`${upgrade}: ${name} no longer has ${missing.join(', ')}(), which apex calls.`);
  });
});
