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
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway CA, a server certificate it signed for `localhost` (not for 127.0.0.1: a client must name the server), and a client certificate (mTLS). */
export interface TestCertificates {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/** Made with the openssl CLI: node:crypto cannot issue certificates. */
export function issueTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'apex-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...newKey, '-days', '1', '-subj', '/CN=apex test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  const issue = (name: string, subject: string, extensions: string) => {
    openssl('req', '-new', ...newKey, '-subj', subject, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    writeFileSync(file(`${name}.ext`), `basicConstraints=critical,CA:FALSE\n${extensions}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.pem`),
    );
  };
  issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth');
  issue('client', '/CN=apex test client', 'extendedKeyUsage=clientAuth');
  return {
    dir,
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client.key'),
  };
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
 * A gRPC front that requires `authorization: Bearer <apiKey>` or a client certificate its CA signed, as Temporal Cloud
 * does: calls with neither (or another key) get UNAUTHENTICATED, the rest go to the Temporal server at `upstream`
 * (host:port, plaintext h2). It terminates TLS with the given server certificate.
 */
export async function startAuthProxy(options: { upstream: string; apiKey: string; certificates: TestCertificates }): Promise<AuthProxy> {
  const upstream = connect(`http://${options.upstream}`);
  upstream.on('error', () => undefined);
  const { certificates } = options;
  const server: Http2SecureServer = createSecureServer({
    cert: readFileSync(certificates.certFile),
    key: readFileSync(certificates.keyFile),
    ca: readFileSync(certificates.caFile),
    // Asked for, not required: a call may authenticate with the key instead.
    requestCert: true,
    rejectUnauthorized: false,
  });
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
    const clientCertificate = (stream.session?.socket as TLSSocket | undefined)?.authorized === true;
    if (!clientCertificate && authorization !== `Bearer ${options.apiKey}`) {
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

/** A front requiring `apiKey`, with fresh certificates, before the Temporal server the tests run against. */
export async function startAuthFront(apiKey: string): Promise<{ proxy: AuthProxy; certificates: TestCertificates }> {
  const certificates = issueTestCertificates();
  return { proxy: await startAuthProxy({ upstream: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', apiKey, certificates }), certificates };
}
