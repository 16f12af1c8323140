/**
 * The rules on a crafted exposition that breaks each of them exactly once,
 * against a small crafted catalog (the audit's rules are pure functions of the
 * families and the catalog), and the agreement with `promtool check metrics`
 * on the same input.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { AuditContext } from '../../src/audit/audit-context.ts';
import { renderJson } from '../../src/audit/render-json.ts';
import { renderMarkdown } from '../../src/audit/render-markdown.ts';
import { renderTable, summaryLine } from '../../src/audit/render-table.ts';
import { RULES } from '../../src/audit/rules.ts';
import { auditExposition } from '../../src/audit/run-audit.ts';
import type { InstrumentSpec } from '../../src/catalog/types.ts';
import { type PromtoolResult, promtoolCheckMetrics, ruleOfProblem } from '../support/promtool.ts';
import { ensureServers } from '../support/servers.ts';

const FIXTURE = new URL('./fixtures/bad-exposition.prom', import.meta.url);
const text = await readFile(FIXTURE, 'utf8');
/** Problems promtool reports that the crafted exposition cannot hold without breaking a rule twice. */
const UNITS_TEXT = await readFile(new URL('./fixtures/promtool-units.prom', import.meta.url), 'utf8');
/** Mistakes real exporters make, one per family: the agreement with promtool on a third input. */
const REAL_WORLD_TEXT = await readFile(new URL('./fixtures/promtool-real-world.prom', import.meta.url), 'utf8');

const status = { key: 'status', description: 'Outcome.', values: ['ok', 'failed'] } as const;
const SHOP: readonly InstrumentSpec[] = [
  { name: 'shop_orders', kind: 'counter', unit: '{order}', description: 'Orders placed, by outcome.', labels: [status] },
  { name: 'shop_payments', kind: 'counter', unit: '{payment}', description: 'Payments, by outcome.', labels: [status] },
  {
    name: 'shop_checkout_duration_seconds',
    kind: 'histogram',
    unit: 's',
    description: 'Checkout time.',
    labels: [],
    buckets: [1, 10],
  },
  { name: 'shop_queue_depth', kind: 'gauge', unit: '{order}', description: 'Orders waiting to be packed.', labels: [] },
  {
    name: 'shop_stock_level',
    kind: 'gauge',
    unit: '{item}',
    description: 'Items in stock, by warehouse.',
    labels: [{ key: 'warehouse', description: 'Where.', values: ['north', 'south'] }],
  },
  { name: 'shop_fill_ratio', kind: 'gauge', unit: '{ratio}', description: 'Shelves filled.', labels: [], range: [0, 1] },
  {
    name: 'shop_basket_value',
    kind: 'gauge',
    unit: '{USD}',
    description: 'Value of one open basket.',
    labels: [{ key: 'basket_id', description: 'The basket.', values: 'id' }],
    maxSeries: 100,
  },
];

const context: AuditContext = {
  catalog: { specs: SHOP, required: new Set(SHOP.map((s) => s.name)), namespaces: ['shop_'] },
  budgets: { default: 1000, perMetric: new Map([['app_items_total', 2]]) },
};

/**
 * Rules the crafted exposition cannot trigger without breaking another, each
 * with the test that triggers it instead. A new rule must go here or into
 * EXPECTED: the first test below fails otherwise.
 */
const NOT_IN_FIXTURE = {
  'empty-exposition': 'an exposition with samples is never empty: see test/audit/missing-data.test.ts',
} as const satisfies Partial<Record<keyof typeof RULES, string>>;

/** Each rule and the one metric of the fixture that breaks it. */
const EXPECTED: Readonly<Record<Exclude<keyof typeof RULES, keyof typeof NOT_IN_FIXTURE>, string>> = {
  'missing-metric': 'shop_payments_total',
  'not-yet-recorded': 'shop_checkout_duration_seconds',
  'wrong-type': 'shop_queue_depth',
  'wrong-labels': 'shop_stock_level',
  'unexpected-label-value': 'shop_orders_total',
  'undeclared-metric': 'shop_mystery_total',
  'counter-total': 'app_requests',
  'total-suffix': 'app_temperature_total',
  'base-unit': 'app_latency_milliseconds',
  'abbreviated-unit': 'app_uptime_sec',
  'unit-suffix': 'app_payload',
  'snake-case': 'app_queueDepth',
  colon: 'app_errors:rate5m',
  'type-in-name': 'app_pool_gauge',
  namespace: 'heartbeats_total',
  'reserved-suffix': 'app_retry_count',
  'help-missing': 'app_cache_hits_total',
  'help-placeholder': 'app_cache_misses_total',
  'reserved-label': 'app_jobs_total',
  'duplicate-label': 'app_visits_total',
  'le-label': 'app_limits',
  'quantile-label': 'app_scores',
  'series-budget': 'app_items_total',
  'unbounded-label': 'app_logins_total',
  'bounded-id-label': 'shop_basket_value',
  'bucket-order': 'app_wait_seconds',
  'inf-bucket': 'app_size_bytes',
  'nan-counter': 'app_errors_total',
  'negative-counter': 'app_refunds_total',
  'duplicate-series': 'app_events_total',
  'out-of-range': 'shop_fill_ratio',
};

describe('the audit rules on a crafted bad exposition', () => {
  const report = auditExposition('bad-exposition.prom', text, context);

  it('covers every rule: each is triggered by the fixture, or by a test of its own', () => {
    assert.deepEqual(Object.keys(RULES).toSorted(), [...Object.keys(EXPECTED), ...Object.keys(NOT_IN_FIXTURE)].toSorted());
  });

  it('triggers every rule exactly once, each finding naming its metric', () => {
    const found = report.findings.map((f) => [f.rule, f.metric]).toSorted(([a], [b]) => String(a).localeCompare(String(b)));
    const expected = Object.entries(EXPECTED).toSorted(([a], [b]) => a.localeCompare(b));
    assert.deepEqual(found, expected);
  });

  it('gives each finding its rule area and severity, a message and a fix', () => {
    for (const f of report.findings) {
      const rule = RULES[f.rule as keyof typeof RULES];
      assert.equal(f.area, rule.area, f.rule);
      assert.equal(f.severity, rule.severity, f.rule);
      assert.ok(f.message.length > 10 && f.fix.length > 10, f.rule);
    }
    assert.equal(report.grade.letter, 'F');
  });

  it('renders every finding with its metric, rule and fix in all three outputs', () => {
    const table = renderTable(report);
    const markdown = renderMarkdown(report);
    const json = JSON.parse(renderJson(report)) as { findings: unknown[] };
    assert.equal(json.findings.length, report.findings.length);
    for (const f of report.findings) {
      assert.ok(table.includes(`${f.rule}`) && table.includes(f.metric) && table.includes(`fix: ${f.fix}`), f.rule);
      assert.ok(markdown.includes(`| \`${f.rule}\` | \`${f.metric}\` |`) && markdown.includes(f.fix.replaceAll('|', '\\|')), f.rule);
    }
    assert.match(markdown, /^# Metrics audit: bad-exposition\.prom\n\n\*\*Grade F\*\* \(0\/100\)/);
    const none = renderMarkdown(auditExposition('-', 'a_b 1', { catalog: undefined, budgets: context.budgets }));
    assert.match(none, /## Inventory\n\nNot audited: no catalog/);
  });

  it('ends the table, like the Markdown report, with the series per metric and the distinct values of each label', () => {
    const snippet = [
      '# HELP app_http_requests_total Requests, by route and status.',
      '# TYPE app_http_requests_total counter',
      ...['/', '/cart', '/pay'].flatMap((route) =>
        ['200', '500'].map((code) => `app_http_requests_total{route="${route}",code="${code}"} 1`),
      ),
      'app_http_requests_total{route="/",code="404"} 1',
      '# HELP app_queue_jobs Jobs waiting.',
      '# TYPE app_queue_jobs gauge',
      'app_queue_jobs 4',
    ].join('\n');
    const small = auditExposition('-', snippet, { catalog: undefined, budgets: { default: 50, perMetric: new Map() } });
    const table = renderTable(small);
    assert.ok(table.startsWith(`audit of -\n${summaryLine(small)}\n\nno findings\n\n`), table);
    assert.deepEqual(table.slice(table.indexOf('series per metric')).split('\n'), [
      'series per metric (the 2 largest)',
      'METRIC                   TYPE     SERIES  BUDGET  VALUES PER LABEL',
      'app_http_requests_total  counter  7       50      code 3, route 3',
      'app_queue_jobs           gauge    1       50      (none)',
      '',
    ]);
    assert.match(renderMarkdown(small), /\| `app_http_requests_total` \| counter \| 7 \| 50 \| code 3, route 3 \|/);
  });

  it("flags the OpenTelemetry exporter's HELP for an instrument without a description, and leaves target labels alone", () => {
    const snippet = [
      '# HELP app_jobs_total description missing',
      '# TYPE app_jobs_total counter',
      'app_jobs_total{job="api",instance="10.0.0.7:9100"} 1',
    ].join('\n');
    const findings = auditExposition('-', snippet, { catalog: undefined, budgets: context.budgets }).findings;
    assert.deepEqual(
      findings.map((f) => [f.rule, f.message]),
      [['help-placeholder', 'the HELP text is "description missing"']],
    );
  });

  it('is documented: the README names every rule', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Auditing an endpoint'));
    assert.deepEqual(
      Object.keys(RULES).filter((rule) => !section.includes(`| \`${rule}\` |`)),
      [],
    );
  });

  it('reads the task_count histogram of the catalog as legal: its samples end in _count_count', () => {
    const ok = [
      '# HELP genesis_meta_agent_task_count Tasks the agent planned and ran to create one business.',
      '# TYPE genesis_meta_agent_task_count histogram',
      'genesis_meta_agent_task_count_count{business_type="saas"} 1',
      'genesis_meta_agent_task_count_sum{business_type="saas"} 3',
      'genesis_meta_agent_task_count_bucket{business_type="saas",le="+Inf"} 1',
    ].join('\n');
    const findings = auditExposition('-', ok, { catalog: undefined, budgets: context.budgets }).findings;
    assert.deepEqual(findings, []);
  });
});

describe('the naming rules on unit words anywhere in a name, and on a counter family in the classic format', () => {
  const NO_CATALOG: AuditContext = { catalog: undefined, budgets: context.budgets };

  it('finds a non-base unit in any word: the first, a middle one, with a prefix, before _total', () => {
    const findings = auditExposition('promtool-units.prom', UNITS_TEXT, NO_CATALOG).findings;
    assert.deepEqual(
      findings.map((f) => `${f.rule} ${f.metric}: ${f.message}`),
      [
        'base-unit app_disk_gibibytes_free: the name holds gibibytes; the base unit is bytes',
        'base-unit app_hours_left_until_renewal: the name holds hours; the base unit is seconds',
        'base-unit app_megabits_sent_total: the name holds megabits; the base unit is bytes',
        // promtool stops at the first unit word (seconds, a base unit); the audit reads on.
        'base-unit app_seconds_kilobytes: the name holds kilobytes; the base unit is bytes',
        'base-unit kilobytes_free: the name holds kilobytes; the base unit is bytes',
        'base-unit minutes_elapsed: the name holds minutes; the base unit is seconds',
        'help-missing app_uploads_total: no HELP line of its own: the HELP and TYPE of app_uploads do not reach app_uploads_total in the classic text format',
      ],
    );
  });

  it('leaves a namespace that reads like an abbreviation or a type alone, as promtool does', () => {
    const snippet = ['# HELP ms_graph_calls_total Calls.', '# TYPE ms_graph_calls_total counter', 'ms_graph_calls_total 1'];
    const gauge = ['# HELP gauge_works_pressure Pressure.', '# TYPE gauge_works_pressure gauge', 'gauge_works_pressure 1'];
    const findings = auditExposition('-', [...snippet, ...gauge].join('\n'), NO_CATALOG).findings;
    assert.deepEqual(findings, []);
  });

  it('reads foo_total under "# TYPE foo counter" as part of foo in OpenMetrics (ending in # EOF), where it is the rule', () => {
    const openMetrics = [
      '# HELP app_uploads Uploads received.',
      '# TYPE app_uploads counter',
      'app_uploads_total 4',
      'app_uploads_created 1.7e9',
    ];
    const findings = auditExposition('-', [...openMetrics, '# EOF', ''].join('\n'), NO_CATALOG).findings;
    assert.deepEqual(findings, []);
    const classic = auditExposition('-', openMetrics.join('\n'), NO_CATALOG).findings;
    assert.deepEqual(
      classic.map((f) => `${f.rule} ${f.metric}`),
      ['help-missing app_uploads_created', 'help-missing app_uploads_total'],
    );
  });
});

const missing = await ensureServers();

/** Asserts that the audit reports every problem promtool reports on `input`, on the same metric; returns promtool's problems. */
async function assertAgreement(input: string, auditContext: AuditContext): Promise<PromtoolResult['problems']> {
  const lint = await promtoolCheckMetrics(input);
  assert.equal(lint.parseError, undefined);
  const findings = new Set(auditExposition('-', input, auditContext).findings.map((f) => `${f.metric} ${f.rule}`));
  for (const problem of lint.problems) {
    assert.ok(findings.has(`${problem.metric} ${ruleOfProblem(problem.text)}`), `${problem.metric}: ${problem.text}`);
  }
  return lint.problems;
}

describe('agreement with promtool check metrics on the crafted expositions', { skip: missing }, () => {
  it('reports every problem promtool reports, on the same metric', async () => {
    // promtool stops at the repeated label (a parse error): lint the rest without that line, then the line on its own.
    const withoutRepeat = text
      .split('\n')
      .filter((line) => !line.includes('page="home",page="about"'))
      .join('\n');
    const problems = await assertAgreement(withoutRepeat, context);
    assert.ok(problems.length >= 12, 'promtool finds the problems it knows');
    const whole = await promtoolCheckMetrics(text);
    assert.match(whole.parseError ?? '', /duplicate label names for metric "app_visits_total"/);
    assert.equal(ruleOfProblem(whole.parseError ?? ''), 'duplicate-label');
    assert.ok(auditExposition('-', text, context).findings.some((f) => f.rule === 'duplicate-label' && f.metric === 'app_visits_total'));
  });

  it('reports every problem promtool reports on unit words anywhere in a name and on a counter family in the classic format', async () => {
    const problems = await assertAgreement(UNITS_TEXT, { catalog: undefined, budgets: context.budgets });
    // Five names with a non-base unit in promtool's eyes, and app_uploads_total without HELP: the input still trips it.
    assert.deepEqual(problems.map((p) => p.metric).toSorted(), [
      'app_disk_gibibytes_free',
      'app_hours_left_until_renewal',
      'app_megabits_sent_total',
      'app_uploads_total',
      'kilobytes_free',
      'minutes_elapsed',
    ]);
  });

  it('reports every problem promtool reports on mistakes real exporters make', async () => {
    const problems = await assertAgreement(REAL_WORLD_TEXT, { catalog: undefined, budgets: context.budgets });
    // Recorded: one problem per family, so that the agreement above is checked on each of them.
    assert.deepEqual(problems.map((p) => `${p.metric} ${p.text}`).toSorted(), [
      'app_disk_total non-counter metrics should not have "_total" suffix',
      'app_gc_pause_ms metric names should not contain abbreviated units',
      'app_http_requests counter metrics should have "_total" suffix',
      'app_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"',
      "app_retries_counter_total metric name should not include type 'counter'",
      'app_worker_pool_count non-histogram and non-summary metrics should not have "_count" suffix',
      "job:app_http_requests:rate5m metric names should not contain ':'",
    ]);
  });
});
