import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createSecureServer,
  connect,
  constants,
  type ClientHttp2Session,
  type Http2SecureServer,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway CA and a server certificate it signed for `localhost` (not for 127.0.0.1: a client must name the server). */
export interface TestCertificates {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Made with the openssl CLI: node:crypto cannot issue certificates. */
export function issueTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'apex-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...newKey, '-days', '1', '-subj', '/CN=apex test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-new', ...newKey, '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return { dir, caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key') };
}

export interface AuthProxy {
  /** 127.0.0.1:<port>, serving TLS with a certificate for `localhost`. */
  host: string;
  port: number;
  /** How many calls were refused, and how many forwarded. */
  refused: number;
  forwarded: number;
  /** The `authorization` values the refused calls carried (to prove what apex sent). */
  refusedAuthorizations: (string | undefined)[];
  close(): Promise<void>;
}

const UNAUTHENTICATED = 16;

/** gRPC's trailers-only response: the status in the response headers, no body. */
function refuse(stream: ServerHttp2Stream, message: string): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(UNAUTHENTICATED), 'grpc-message': message }, { endStream: true });
}

const HOP_HEADERS = new Set([':authority', ':scheme', constants.HTTP2_HEADER_CONNECTION]);

/** The request headers as the upstream takes them: its own authority and scheme. */
const forwardedHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));

function forward(upstream: ClientHttp2Session, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  const request = upstream.request(forwardedHeaders(headers));
  stream.pipe(request);
  request.on('response', (responseHeaders) => {
    const { ':status': status, ...rest } = responseHeaders;
    if (stream.destroyed) return;
    stream.respond({ ':status': status, ...rest }, { waitForTrailers: true });
    request.pipe(stream);
  });
  let trailers: IncomingHttpHeaders = {};
  request.on('trailers', (received) => (trailers = received));
  stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  request.on('error', () => stream.destroy());
  stream.on('close', () => request.close());
}

/**
 * A gRPC front that requires `authorization: Bearer <apiKey>`, as Temporal Cloud does: calls without it (or with
 * another key) get UNAUTHENTICATED, the rest go to the Temporal server at `upstream` (host:port, plaintext h2).
 * It terminates TLS with the given certificate.
 */
export async function startAuthProxy(options: { upstream: string; apiKey: string; certificates: TestCertificates }): Promise<AuthProxy> {
  const upstream = connect(`http://${options.upstream}`);
  upstream.on('error', () => undefined);
  const server: Http2SecureServer = createSecureServer({ cert: readFileSync(options.certificates.certFile), key: readFileSync(options.certificates.keyFile) });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const proxy: AuthProxy = {
    host: '127.0.0.1',
    port: 0,
    refused: 0,
    forwarded: 0,
    refusedAuthorizations: [],
    close: async () => {
      sessions.forEach((session) => session.destroy());
      upstream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    const authorization = headers.authorization;
    if (authorization !== `Bearer ${options.apiKey}`) {
      proxy.refused += 1;
      proxy.refusedAuthorizations.push(authorization);
      refuse(stream, authorization ? 'Request unauthorized: invalid API key' : 'Request unauthorized: no credentials');
      return;
    }
    proxy.forwarded += 1;
    forward(upstream, stream, headers);
  });
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  return proxy;
}
