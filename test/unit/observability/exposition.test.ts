import { describe, expect, it } from 'vitest';
import { likelyRename, parseExposition } from '../../../src/observability/exposition.js';

const TEXT = `# HELP temporal_workflow_completed x
# TYPE temporal_workflow_completed counter
temporal_workflow_completed{namespace="apex"} 5
temporal_workflow_completed{namespace="other"} 1
# TYPE temporal_workflow_endtoend_latency histogram
temporal_workflow_endtoend_latency_bucket{le="100"} 1
temporal_workflow_endtoend_latency_bucket{le="+Inf"} 2
temporal_workflow_endtoend_latency_sum 150
temporal_workflow_endtoend_latency_count 2
untyped_thing 3
`;

describe('parseExposition', () => {
  it('groups histogram series under their family and counts samples', () => {
    const families = parseExposition(TEXT);
    expect(families.get('temporal_workflow_completed')).toMatchObject({ name: 'temporal_workflow_completed', type: 'counter', help: 'x', samples: 2 });
    expect(families.get('temporal_workflow_endtoend_latency')).toMatchObject({ name: 'temporal_workflow_endtoend_latency', type: 'histogram', samples: 4 });
    expect(families.get('untyped_thing')?.type).toBe('untyped');
    expect(families.has('temporal_workflow_endtoend_latency_bucket')).toBe(false);
  });

  it('keeps a declared family with no samples at zero samples', () => {
    expect(parseExposition('# TYPE a counter\n').get('a')?.samples).toBe(0);
  });
});

describe('likelyRename', () => {
  it('finds exporter-suffix variants first', () => {
    expect(likelyRename('temporal_request', ['temporal_request_total', 'temporal_requests'])).toBe('temporal_request_total');
    expect(likelyRename('temporal_workflow_endtoend_latency', ['temporal_workflow_endtoend_latency_seconds'])).toBe(
      'temporal_workflow_endtoend_latency_seconds',
    );
  });

  it('finds a close spelling, and nothing for a name far from everything', () => {
    expect(likelyRename('temporal_worker_task_slot_available', ['temporal_worker_task_slots_available', 'up'])).toBe('temporal_worker_task_slots_available');
    expect(likelyRename('apex_no_such_metric_at_all', ['temporal_request', 'up'])).toBeUndefined();
  });
});
