/**
 * The parts of testcontainers apex uses that its package does not export from its entry point: the engine
 * resolution strategies (loaded without the whole library) and the wait-strategy base class. Every import of
 * `testcontainers/build/...` goes through this file; test/unit/runtime/docker/testcontainers-internals.test.ts
 * fails, naming the export and the testcontainers version, when an upgrade moves or removes one.
 */
export { ConfigurationStrategy } from 'testcontainers/build/container-runtime/strategies/configuration-strategy.js';
export { NpipeSocketStrategy } from 'testcontainers/build/container-runtime/strategies/npipe-socket-strategy.js';
export { RootlessUnixSocketStrategy } from 'testcontainers/build/container-runtime/strategies/rootless-unix-socket-strategy.js';
export { TestcontainersHostStrategy } from 'testcontainers/build/container-runtime/strategies/testcontainers-host-strategy.js';
export { UnixSocketStrategy } from 'testcontainers/build/container-runtime/strategies/unix-socket-strategy.js';
export { AbstractWaitStrategy } from 'testcontainers/build/wait-strategies/wait-strategy.js';
