import { closest, distance } from 'fastest-levenshtein';

/** One sample line: its series name (with `_total`, `_bucket`... as written), its labels and its value. */
export interface ExposedSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface ExposedFamily {
  name: string;
  /** From `# TYPE`; untyped when the endpoint does not say. */
  type: string;
  /** From `# HELP`, when the endpoint gives one. */
  help?: string;
  /** Sample lines (for histograms: buckets, sums and counts). */
  samples: number;
  series: ExposedSample[];
}

const COMMENT_LINE = /^# (HELP|TYPE) (\S+)(?: (.*))?$/;
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

const parseLabels = (text: string | undefined): Record<string, string> =>
  Object.fromEntries([...(text ?? '').matchAll(LABEL_PAIR)].map(([, name, value]) => [name, value.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c)]));

const parseValue = (text: string): number => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));

/** The metric families of a Prometheus text exposition, keyed by family name. */
export function parseExposition(text: string): Map<string, ExposedFamily> {
  const families = new Map<string, ExposedFamily>();
  const declared = (name: string): ExposedFamily => {
    const known = families.get(name);
    if (known) return known;
    const family: ExposedFamily = { name, type: 'untyped', samples: 0, series: [] };
    families.set(name, family);
    return family;
  };
  const familyOf = (series: string): ExposedFamily => {
    for (const suffix of ['_bucket', '_count', '_sum', '_total', '']) {
      if (!series.endsWith(suffix)) continue;
      const family = families.get(series.slice(0, series.length - suffix.length));
      if (!family) continue;
      if (suffix === '' || (suffix === '_total' ? family.type === 'counter' : family.type === 'histogram' || family.type === 'summary')) return family;
    }
    return declared(series);
  };
  for (const line of text.split('\n')) {
    const comment = COMMENT_LINE.exec(line);
    if (comment) {
      const family = declared(comment[2]);
      if (comment[1] === 'TYPE') family.type = comment[3] ?? 'untyped';
      else family.help = comment[3] ?? '';
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) continue;
    const family = familyOf(sample[1]);
    family.samples += 1;
    family.series.push({ name: sample[1], labels: parseLabels(sample[2]), value: parseValue(sample[3]) });
  }
  return families;
}

/** One read of a /metrics endpoint: its families, or why it could not be read. */
export interface EndpointRead {
  families?: Map<string, ExposedFamily>;
  error?: string;
}

/** Reads a /metrics endpoint; undefined with the reason when it cannot be read. */
export async function scrapeEndpoint(url: string, fetchImpl: typeof fetch = fetch): Promise<EndpointRead> {
  try {
    // A Temporal server that serves many task queues exposes megabytes: a busy machine needs seconds to read them.
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) return { error: `${url} answered HTTP ${response.status}` };
    return { families: parseExposition(await response.text()) };
  } catch (error) {
    return { error: `${url} cannot be read: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}` };
  }
}

/** Spellings the same metric takes under other exporter options or SDK versions. */
const variantsOf = (name: string): string[] => {
  const bare = name.replace(/_(total|seconds|milliseconds)$/, '');
  return [
    `${bare}_total`,
    `${bare}_seconds`,
    `${bare}_milliseconds`,
    bare,
    name.startsWith('temporal_') ? name.slice('temporal_'.length) : `temporal_${name}`,
  ].filter((variant) => variant !== name);
};

/**
 * The name a missing metric most likely goes by now: an exporter-suffix variant (`_total`, unit suffixes), a
 * prefix change, or a close spelling. Undefined when nothing exposed is close.
 */
export function likelyRename(missing: string, exposed: readonly string[]): string | undefined {
  if (exposed.length === 0) return undefined;
  const variant = variantsOf(missing).find((candidate) => exposed.includes(candidate));
  if (variant) return variant;
  const nearest = closest(missing, [...exposed]);
  return distance(missing, nearest) <= Math.max(2, Math.floor(missing.length / 8)) ? nearest : undefined;
}
