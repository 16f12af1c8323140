/**
 * What an exposition can lack, which no value-based rule sees: any sample at
 * all (empty-exposition), a histogram series' buckets or its `_count`
 * (inf-bucket), and, without a catalog, the inventory itself (shown as not
 * audited rather than graded). Against the real Genesis catalog where one is
 * needed; the command line on an empty endpoint is in faulty-endpoints.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AuditContext, DEFAULT_SERIES_BUDGET, genesisCatalog } from '../../src/audit/audit-context.ts';
import { WHOLE_EXPOSITION } from '../../src/audit/consistency-rules.ts';
import { renderMarkdown } from '../../src/audit/render-markdown.ts';
import { auditExposition } from '../../src/audit/run-audit.ts';

const budgets = { default: DEFAULT_SERIES_BUDGET, perMetric: new Map<string, number>() };
const NO_CATALOG: AuditContext = { catalog: undefined, budgets };
const GENESIS: AuditContext = { catalog: genesisCatalog(), budgets };

describe('an exposition without a sample', () => {
  it('is an error (empty-exposition), with the catalog and without, whether empty or HELP and TYPE only', () => {
    for (const [input, message] of [
      ['', 'the exposition is empty: no metric, no sample'],
      ['# just a comment\n', 'the exposition is empty: no metric, no sample'],
      ['# HELP app_jobs Jobs.\n# TYPE app_jobs gauge\n', 'the exposition has no sample: 1 metric with HELP or TYPE lines only'],
    ] as const) {
      const alone = auditExposition('-', input, NO_CATALOG);
      assert.deepEqual(
        alone.findings.map((f) => [f.rule, f.severity, f.metric, f.message]),
        [['empty-exposition', 'error', WHOLE_EXPOSITION, message]],
        input,
      );
      // Against the catalog, its missing metrics are errors too; the empty exposition is said outright.
      const rules = new Set(auditExposition('-', input, GENESIS).findings.map((f) => f.rule));
      assert.ok(rules.has('empty-exposition') && rules.has('missing-metric'), input);
    }
  });

  it('is not reported once there is one sample', () => {
    assert.deepEqual(auditExposition('-', '# HELP app_jobs Jobs.\n# TYPE app_jobs gauge\napp_jobs 0\n', NO_CATALOG).findings, []);
  });
});

describe('a histogram series that lacks its buckets or its _count', () => {
  it('is reported under inf-bucket, naming the series, with a fix for what it lacks', () => {
    const histograms = [
      '# HELP app_wait_seconds Time spent waiting.',
      '# TYPE app_wait_seconds histogram',
      'app_wait_seconds_bucket{queue="a",le="+Inf"} 1',
      'app_wait_seconds_sum{queue="a"} 0.5',
      'app_wait_seconds_count{queue="a"} 1',
      'app_wait_seconds_sum{queue="b"} 2',
      'app_wait_seconds_count{queue="b"} 3',
      '# HELP app_size_bytes Size of the requests.',
      '# TYPE app_size_bytes histogram',
      'app_size_bytes_bucket{le="100"} 1',
      'app_size_bytes_bucket{le="+Inf"} 2',
      'app_size_bytes_sum 300',
    ].join('\n');
    const findings = auditExposition('-', histograms, NO_CATALOG).findings;
    assert.deepEqual(
      findings.map((f) => [f.rule, f.metric, f.message]),
      [
        ['inf-bucket', 'app_size_bytes', 'app_size_bytes_bucket{le="+Inf"}: the series has no _count to match its +Inf bucket'],
        ['inf-bucket', 'app_wait_seconds', 'app_wait_seconds_count{queue="b"}: the series has no buckets, so no +Inf bucket'],
      ],
    );
    assert.match(findings[0]?.fix ?? '', /emit `_count`/);
    assert.match(findings[1]?.fix ?? '', /emit the buckets of every series/);
  });
});

describe('the inventory without a catalog', () => {
  const naming = ['# HELP app_requests Requests.', '# TYPE app_requests counter', 'app_requests 1'].join('\n');

  it('shows as not audited in the Markdown area table, and takes no part in the grade', () => {
    const none = auditExposition('-', naming, NO_CATALOG);
    const markdown = renderMarkdown(none);
    assert.match(markdown, /\n\| inventory \| — \| — \| — \| — \|\n\| naming \| B \(80\) \| 1 \| 0 \| 0 \|\n/);
    assert.match(markdown, /## Inventory\n\nNot audited: no catalog/);
    // One naming error and nothing else: the overall grade is the naming area's.
    assert.deepEqual([none.grade.letter, none.grade.score], ['B', 80]);
    assert.match(markdown, /\*\*Grade B\*\* \(80\/100\) · 1 errors/);
  });

  it('has its grade again with the catalog', () => {
    const markdown = renderMarkdown(auditExposition('-', naming, GENESIS));
    assert.match(markdown, /\n\| inventory \| F \(0\) \| 9 \| 0 \| 8 \|\n/);
  });
});
