import { closest, distance } from 'fastest-levenshtein';

export interface ExposedFamily {
  name: string;
  /** From `# TYPE`; untyped when the endpoint does not say. */
  type: string;
  /** Sample lines (for histograms: buckets, sums and counts). */
  samples: number;
}

const TYPE_LINE = /^# TYPE (\S+) (\S+)/;
const SAMPLE_NAME = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/;

/** The metric families of a Prometheus text exposition, keyed by family name. */
export function parseExposition(text: string): Map<string, ExposedFamily> {
  const families = new Map<string, ExposedFamily>();
  const familyOf = (series: string): ExposedFamily => {
    for (const suffix of ['_bucket', '_count', '_sum', '']) {
      if (!series.endsWith(suffix)) continue;
      const family = families.get(series.slice(0, series.length - suffix.length));
      if (family && (suffix === '' || family.type === 'histogram' || family.type === 'summary')) return family;
    }
    const untyped = { name: series, type: 'untyped', samples: 0 };
    families.set(series, untyped);
    return untyped;
  };
  for (const line of text.split('\n')) {
    const typeLine = TYPE_LINE.exec(line);
    if (typeLine) {
      families.set(typeLine[1], { name: typeLine[1], type: typeLine[2], samples: 0 });
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = SAMPLE_NAME.exec(line);
    if (sample) familyOf(sample[1]).samples += 1;
  }
  return families;
}

/** Reads a /metrics endpoint; undefined with the reason when it cannot be read. */
export async function scrapeEndpoint(url: string, fetchImpl: typeof fetch = fetch): Promise<{ families?: Map<string, ExposedFamily>; error?: string }> {
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
