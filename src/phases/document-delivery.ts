import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { renderTemplate, type TemplateValue, type TemplateVariables } from '../contracts/render.js';
import type { ContractDelivery } from '../contracts/schema.js';
import type { CorpusDocument } from './corpus.js';

/** Where a run's documents go for the worker to fetch, as the contract's `document.delivery` says. */
export interface DocumentDelivery {
  /** The run-level variables of the delivery: `{bucket}`, `{prefix}` or `{folder}`. */
  readonly runVars: Record<string, TemplateValue>;
  /** Where one document goes: `{key}`, `{documentPath}` or `{documentUrl}`, besides the run's variables. */
  locate(documentName: string): Record<string, TemplateValue>;
  deliver(documentName: string, document: CorpusDocument): Promise<void>;
  /** Stops serving, and removes delivered files unless the run keeps its data. */
  close(options: { keepData: boolean }): Promise<void>;
}

export interface DeliveryOptions {
  delivery: ContractDelivery;
  /** runId and phase. */
  vars: TemplateVariables;
  /** Relative folders are taken from here (the config file's directory). */
  projectDir: string;
  /** Puts an object into the phase's S3 (the real one, or the in-memory one of an in-process worker). */
  upload(bucket: string, key: string, document: CorpusDocument): Promise<void>;
}

export async function openDocumentDelivery(options: DeliveryOptions): Promise<DocumentDelivery> {
  const { delivery, vars } = options;
  switch (delivery.kind) {
    case 's3': {
      const runVars = { bucket: renderTemplate(delivery.bucket, vars), prefix: renderTemplate(delivery.prefix, vars) };
      const locate = (documentName: string) => ({ ...runVars, key: renderTemplate(delivery.key, { ...vars, ...runVars, documentName }) });
      return {
        runVars,
        locate,
        deliver: (documentName, document) => options.upload(runVars.bucket, String(locate(documentName).key), document),
        close: async () => undefined,
      };
    }
    case 'folder': {
      const folder = resolve(options.projectDir, renderTemplate(delivery.path, vars));
      const delivered: string[] = [];
      const locate = (documentName: string) => ({ folder, documentPath: join(folder, documentName) });
      return {
        runVars: { folder },
        locate,
        async deliver(documentName, document) {
          await mkdir(folder, { recursive: true });
          const path = join(folder, documentName);
          await writeFile(path, document.body);
          delivered.push(path);
        },
        close: async ({ keepData }) => {
          if (!keepData) await Promise.all(delivered.map((path) => rm(path, { force: true })));
        },
      };
    }
    case 'http':
      return serveOverHttp(String(vars.runId));
  }
}

/** Serves the run's documents on a loopback port of its own while the run lasts. */
async function serveOverHttp(runId: string): Promise<DocumentDelivery> {
  const documents = new Map<string, CorpusDocument>();
  const server: Server = createServer((request, response) => {
    const document = documents.get(decodeURIComponent(request.url ?? ''));
    if (!document || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(document ? 405 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-length': document.body.byteLength, ...(document.contentType ? { 'content-type': document.contentType } : {}) });
    response.end(request.method === 'HEAD' ? undefined : document.body);
  });
  await new Promise<void>((ready, failed) => server.once('error', failed).listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const path = (documentName: string) => `/${runId}/${documentName}`;
  return {
    runVars: {},
    locate: (documentName) => ({ documentUrl: `http://127.0.0.1:${port}/${encodeURIComponent(runId)}/${encodeURIComponent(documentName)}` }),
    deliver: async (documentName, document) => void documents.set(path(documentName), document),
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
