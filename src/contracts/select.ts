import { z } from 'zod';
import { BUILT_IN_CONTRACTS, builtInContract, type ReferenceSettings } from './built-in/index.js';
import { workerContractSchema, type WorkerContract } from './schema.js';

/**
 * The `contract` key of apex.config.yaml: a built-in's name; `{use: <name>, …overrides}`; or, without `use`, a
 * whole contract written by hand. Overrides are merged into the built-in: objects key by key, a list replaces the
 * built-in's list, `null` removes a key, and an object whose `kind` or `failedAs` differs replaces the built-in's.
 */
export const contractSetting = z.preprocess(
  (value) => (typeof value === 'string' ? { use: value } : value),
  z.object({ use: z.enum(BUILT_IN_CONTRACTS).optional() }).passthrough(),
);
export type ContractSetting = z.output<typeof contractSetting>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const VARIANT_KEYS = ['kind', 'failedAs'] as const;
const otherVariant = (base: Record<string, unknown>, override: Record<string, unknown>): boolean =>
  VARIANT_KEYS.some((key) => key in override && key in base && override[key] !== base[key]);

/** `override` merged into `base` (see `contractSetting`); neither is changed. */
export function mergeOverrides(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override) || otherVariant(base, override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = key in base ? mergeOverrides(base[key], value) : value;
  }
  return merged;
}

/**
 * The contract a setting selects, validated in full. Issue paths are relative to the `contract` key, so that the
 * config loader names the file, line and key path of a bad override.
 */
export function selectContract(setting: ContractSetting, settings: ReferenceSettings): z.SafeParseReturnType<unknown, WorkerContract> {
  const { use, ...fields } = setting;
  if (!use) return workerContractSchema.safeParse(fields);
  const merged = mergeOverrides(builtInContract(use, settings), fields) as Record<string, unknown>;
  if (!('label' in fields) && Object.keys(fields).length > 0) merged.label = `${use} (with overrides)`;
  return workerContractSchema.safeParse(merged);
}
