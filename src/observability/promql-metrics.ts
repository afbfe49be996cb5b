import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlParseResult {
  /** Metric names the expression selects, in order of first use. */
  metrics: string[];
  /** The first syntax error, if the expression does not parse. */
  syntaxError?: string;
}

const HISTOGRAM_SERIES_SUFFIX = /_(bucket|count|sum)$/;

/** Reads the metric names an expression selects, by name or by `{__name__="..."}`, with Prometheus's own grammar. */
export function metricsInExpression(expression: string): PromqlParseResult {
  const tree = parser.parse(expression);
  const metrics: string[] = [];
  let syntaxError: string | undefined;
  const add = (name: string): void => {
    if (!metrics.includes(name)) metrics.push(name);
  };
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && syntaxError === undefined) {
        syntaxError = `unexpected input at character ${node.from + 1}: "${expression.slice(node.from, node.to + 10) || '(end)'}"`;
      }
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) add(expression.slice(identifier.from, identifier.to));
      }
      if (node.name === 'UnquotedLabelMatcher') {
        const text = expression.slice(node.from, node.to);
        const byName = /^__name__\s*=\s*"([^"]+)"$/.exec(text);
        if (byName) add(byName[1]);
      }
    },
  });
  return { metrics, syntaxError };
}

/** The metric family a series belongs to: histograms expose `<family>_bucket`, `_count` and `_sum`. */
export const metricFamily = (series: string): string => series.replace(HISTOGRAM_SERIES_SUFFIX, '');
