import { join } from 'node:path';
import { ENV_FILE_NAME } from '../config/load-config.js';
import { ApexError, errorMessage } from '../errors.js';
import type { Diagnosis, StoreContext, StoreOperations } from './operations.js';

/** The error and everything it wraps (causes, AggregateError members), outermost first. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const visit = (current: unknown): void => {
    if (current === undefined || current === null || chain.includes(current) || chain.length > 20) return;
    chain.push(current);
    if (current instanceof AggregateError) current.errors.forEach(visit);
    if (current instanceof Error) visit(current.cause);
  };
  visit(error);
  return chain;
}

/** True when any error in the chain carries one of the codes, as its code, its name or inside its message. */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  return errorChain(error).some((link) => {
    const { code, name } = link as { code?: unknown; name?: unknown };
    const text = [code, name, errorMessage(link)].filter((part) => typeof part === 'string').join(' ');
    return codes.some((wanted) => text.includes(wanted));
  });
}

export const envFileOf = (ctx: StoreContext): string => join(ctx.stack.projectDir, ENV_FILE_NAME);

export const addressOf = (ctx: StoreContext): string => `${ctx.endpoint.host}:${Object.values(ctx.endpoint.ports)[0]}`;

const isExternal = (ctx: StoreContext): boolean => ctx.stack.config.runtime === 'external';

/** How to get a stopped service running: apex starts it on docker; on external it is the operator's. */
export function startFix(ctx: StoreContext): string {
  const name = ctx.service.name;
  return isExternal(ctx)
    ? `Start ${name} at ${addressOf(ctx)}, or point services.${name}.host/ports in apex.config.yaml at where it runs.`
    : `${name} is not running: \`apex up --only ${name}\`.`;
}

/** A secret in .env that the server does not accept. */
export function credentialDiagnosis(ctx: StoreContext, key: string, serverSays: string): Diagnosis {
  const name = ctx.service.name;
  const envFile = envFileOf(ctx);
  return {
    error: `${name} rejected the credentials: ${serverSays}`,
    fix: isExternal(ctx)
      ? `Set ${key} in ${envFile} to the value the server at ${addressOf(ctx)} expects.`
      : `${key} in ${envFile} differs from the value ${name}'s data volume was created with (the server keeps that one). ` +
        'Put the old value back in .env, or delete the data and start over: `apex down --volumes --yes` then `apex up` ' +
        `(deletes the data of every service), or \`apex reset --service ${name} --hard --yes\` (only ${name}'s).`,
    rejectedKey: key,
  };
}

function networkDiagnosis(error: unknown, ctx: StoreContext): Diagnosis | undefined {
  const name = ctx.service.name;
  const address = addressOf(ctx);
  if (hasErrorCode(error, 'ECONNREFUSED')) {
    return { error: `${name}: connection refused on ${address}`, fix: startFix(ctx) };
  }
  if (hasErrorCode(error, 'ENOTFOUND', 'EAI_AGAIN')) {
    return {
      error: `${name}: host ${ctx.endpoint.host} does not resolve`,
      fix: `Fix services.${name}.host in apex.config.yaml.`,
    };
  }
  if (hasErrorCode(error, 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH')) {
    return { error: `${name}: ${address} cannot be reached (${errorMessage(error)})`, fix: startFix(ctx) };
  }
  if (hasErrorCode(error, 'EPROTO', 'ERR_SSL', 'CERT_', 'SELF_SIGNED', 'UNABLE_TO_VERIFY')) {
    return {
      error: `${name}: TLS handshake with ${address} failed (${errorMessage(error)})`,
      fix: `Match services.${name}.tls in apex.config.yaml to the server: enabled, caFile and serverName.`,
    };
  }
  if (hasErrorCode(error, 'ECONNRESET', 'EPIPE', 'socket hang up')) {
    return {
      error: `${name}: ${address} closed the connection (${errorMessage(error)})`,
      fix: isExternal(ctx)
        ? `Check that ${address} serves ${name} and that it has finished starting.`
        : `${name} may still be starting: wait, or read \`apex logs ${name}\`.`,
    };
  }
  return undefined;
}

/** What went wrong and how to fix it: the store's own knowledge first, then the network's, then the raw error. */
export function diagnoseFailure(error: unknown, ctx: StoreContext, operations: StoreOperations): Diagnosis {
  if (error instanceof ApexError) return { error: [error.message, ...error.details].join('\n'), fix: error.fix };
  return (
    operations.diagnose?.(error, ctx) ??
    networkDiagnosis(error, ctx) ?? {
      error: `${ctx.service.name}: ${errorMessage(error)}`,
      fix: isExternal(ctx)
        ? `Check the ${ctx.service.name} server at ${addressOf(ctx)}.`
        : `Read \`apex logs ${ctx.service.name}\`; \`apex reset --service ${ctx.service.name} --hard\` starts it over.`,
    }
  );
}

/** The code of a command failing on these stores: theirs when they share one of their own (TEMPORAL_AUTH), else `fallback`. */
export function sharedFailureCode(failures: readonly { code?: string }[], fallback: string): string {
  const code = failures[0]?.code;
  return code && failures.every((failure) => failure.code === code) ? code : fallback;
}

/** A store a long-running command (`apex worker`, phase 2D) cannot connect to: its address, the cause and the fix. */
export function storeUnreachable(error: unknown, ctx: StoreContext, operations: StoreOperations): ApexError {
  const name = ctx.service.name;
  const diagnosis = diagnoseFailure(error, ctx, operations);
  return new ApexError(
    'STORE_UNREACHABLE',
    `Cannot connect to ${name} at ${addressOf(ctx)} (services.${name} in apex.config.yaml): ${diagnosis.error}.`,
    `${diagnosis.fix} \`apex status\` shows which services are up and answering.`,
  );
}
