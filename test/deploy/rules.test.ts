/**
 * The rules as data: the alerts users route on exist with the thresholds,
 * durations and severities the issue sets (the end-to-end test shortens `for:`
 * only in a temporary copy), each carries labels.severity, a summary, a
 * description with the value and a runbook in the README; every recording rule
 * and every alert has a promtool unit test, and every recording rule is used.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG } from '../../src/catalog/catalog.ts';
import { prometheusName } from '../../src/catalog/naming.ts';
import { alertRules, alertThreshold, dashboardQueries, histogramAverages, recordingRules, ruleTestGroups } from '../support/deploy-kit.ts';
import { REPO_ROOT } from '../support/processes.ts';
import { metricNames } from '../support/promql-names.ts';

const RUNBOOK_BASE = 'https://github.com/genesis-meta-agent/genesis-telemetry/blob/main/README.md#';

type Threshold = { operator: string; value: number };
/** The thresholds (compared as parsed, so that layout and the number's spelling do not matter), durations and severities users rely on. */
const EXPECTED: Record<string, { threshold: Threshold; for: string | undefined; severity: string }> = {
  GenesisBusinessCreationFailureRateHigh: { threshold: { operator: '>', value: 0.2 }, for: '5m', severity: 'warning' },
  GenesisDeploymentFailuresHigh: { threshold: { operator: '>', value: 0.5 }, for: '2m', severity: 'critical' },
  GenesisAuthFailuresHigh: { threshold: { operator: '>', value: 5 }, for: '5m', severity: 'warning' },
  GenesisQuotaViolationsHigh: { threshold: { operator: '>', value: 10 }, for: '5m', severity: 'warning' },
  GenesisDashboardWebhookDown: { threshold: { operator: '>', value: 0.5 }, for: '10m', severity: 'warning' },
  GenesisDashboardWebhookOutboxStale: { threshold: { operator: '>', value: 900 }, for: '5m', severity: 'warning' },
  GenesisDashboardWebhookEndpointGone: { threshold: { operator: '>', value: 0 }, for: '1m', severity: 'warning' },
  GenesisDashboardWebhookDeadLetters: { threshold: { operator: '>', value: 0 }, for: undefined, severity: 'warning' },
  GenesisMetricsTargetDown: { threshold: { operator: '==', value: 0 }, for: '2m', severity: 'critical' },
};

/** The family names of the catalog's histograms (their series add _bucket, _sum and _count). */
const HISTOGRAMS = CATALOG.filter((spec) => spec.kind === 'histogram').map((spec) => prometheusName(spec));

/** GitHub's anchor for a Markdown heading. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const unitTests = ruleTestGroups();

describe('the alerting rules', () => {
  const alerts = alertRules();

  // The threshold is read from the expression's comparison, not matched as text: a reformatted
  // expression keeps its threshold, a changed number or operator does not.
  it('read the threshold of an expression as its comparison, however it is written', () => {
    const shipped = { operator: '>', value: 0.2 };
    for (const expr of [
      'genesis:business_creation_failure:ratio_rate5m > 0.2',
      'genesis:business_creation_failure:ratio_rate5m>0.20',
      '(\n  genesis:business_creation_failure:ratio_rate5m\n)\n  > 2e-1\n',
      '0.2 < genesis:business_creation_failure:ratio_rate5m',
      'sum(rate(x{status=~"a|b>c"}[5m])) / sum(rate(x[5m])) > (0.2)',
    ]) {
      assert.deepEqual(alertThreshold(expr), shipped, expr);
    }
    for (const expr of [
      'genesis:business_creation_failure:ratio_rate5m > 0.3',
      'genesis:business_creation_failure:ratio_rate5m >= 0.2',
      'genesis:business_creation_failure:ratio_rate5m < 0.2',
      'genesis:business_creation_failure:ratio_rate5m > bool 0.2',
      '0.2 > genesis:business_creation_failure:ratio_rate5m',
      // Ends in "> 0.2" but fires on another comparison too: a text match took it for the threshold.
      'genesis:x:rate5m > 1 and genesis:business_creation_failure:ratio_rate5m > 0.2',
    ]) {
      assert.notDeepEqual(alertThreshold(expr), shipped, expr);
    }
    assert.deepEqual(alertThreshold('up{job=~"genesis-meta-agent|otel-collector"} == 0'), { operator: '==', value: 0 });
    assert.equal(alertThreshold('genesis:x:rate5m > 0.5 and genesis:y:rate5m > 1'), undefined, 'two comparisons');
    assert.equal(alertThreshold('genesis:x:rate5m > genesis:y:rate5m'), undefined, 'no number');
  });

  it("are the alerts users route on, and the kit's own", () => {
    assert.deepEqual(alerts.map((rule) => rule.alert).toSorted(), Object.keys(EXPECTED).toSorted());
  });

  it('keep the thresholds, durations and severities', () => {
    for (const rule of alerts) {
      const expected = EXPECTED[rule.alert];
      assert.ok(expected, rule.alert);
      assert.deepEqual(alertThreshold(rule.expr), expected.threshold, `${rule.alert}: ${rule.expr}`);
      assert.equal(rule.for, expected.for, rule.alert);
      assert.equal(rule.labels?.severity, expected.severity, rule.alert);
    }
  });

  it('carry severity under labels, a summary, a description with the value, and a runbook in the README', () => {
    const anchors = new Set(
      readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => githubSlug(line.replace(/^#+ /, ''))),
    );
    for (const rule of alerts) {
      assert.equal(rule.severity, undefined, `${rule.alert}: severity belongs under labels`);
      assert.ok(rule.labels?.area, `${rule.alert} has an area label`);
      assert.ok((rule.annotations?.summary ?? '').length > 10, `${rule.alert} has a summary`);
      assert.match(rule.annotations?.description ?? '', /\{\{ \$value/, `${rule.alert}'s description shows the value`);
      const url = rule.annotations?.runbook_url ?? '';
      assert.ok(url.startsWith(RUNBOOK_BASE), `${rule.alert}: ${url}`);
      const anchor = url.slice(RUNBOOK_BASE.length);
      assert.equal(anchor, rule.alert.toLowerCase());
      assert.ok(anchors.has(anchor), `README.md has a "${rule.alert}" runbook heading`);
    }
  });

  // A group whose input never fires the alert at any time checked: input below the threshold (or shorter than
  // its for:), not just the minutes before for: has passed in a group where it then fires.
  it('each stay quiet on input below their threshold, in a promtool test group of their own', () => {
    for (const rule of alerts) {
      const quiet = unitTests.some((group) => {
        const cases = (group.alert_rule_test ?? []).filter((c) => c.alertname === rule.alert);
        return cases.length > 0 && cases.every((c) => c.exp_alerts.length === 0);
      });
      assert.ok(quiet, `${rule.alert} has a below-threshold test`);
    }
  });

  it('each fire in a promtool unit test, and stay quiet in one', () => {
    const cases = unitTests.flatMap((test) => test.alert_rule_test ?? []);
    for (const rule of alerts) {
      assert.ok(
        cases.some((c) => c.alertname === rule.alert && c.exp_alerts.length > 0),
        `${rule.alert} fires in a test`,
      );
      assert.ok(
        cases.some((c) => c.alertname === rule.alert && c.exp_alerts.length === 0),
        `${rule.alert} is quiet in a test`,
      );
    }
  });
});

describe('the recording rules', () => {
  it('each have a promtool unit test', () => {
    const tested = new Set(unitTests.flatMap((test) => (test.promql_expr_test ?? []).map((t) => t.expr.trim())));
    for (const rule of recordingRules()) assert.ok(tested.has(rule.record), `${rule.record} is tested`);
  });

  it('are each used by the dashboard or an alert', () => {
    const used = new Set([...dashboardQueries(), ...alertRules()].flatMap((item) => metricNames(item.expr)));
    for (const rule of recordingRules()) assert.ok(used.has(rule.record), `${rule.record} is used`);
  });

  it('find an average or a quantile over a histogram, the old avg(genesis_meta_agent_team_size) first', () => {
    const found = (expr: string) => histogramAverages(expr, HISTOGRAMS);
    assert.deepEqual(found('avg(genesis_meta_agent_team_size)'), ['avg(genesis_meta_agent_team_size)']);
    assert.deepEqual(found('avg by (business_type) (rate(genesis_meta_agent_execution_duration_seconds_bucket[5m]))'), [
      'avg(genesis_meta_agent_execution_duration_seconds_bucket)',
    ]);
    assert.deepEqual(found('avg(rate(genesis_meta_agent_team_size_bucket{le="5"}[5m])) by (le)'), [
      'avg(genesis_meta_agent_team_size_bucket)',
    ]);
    assert.deepEqual(found('avg_over_time(genesis_meta_agent_task_count[1h])'), ['avg_over_time(genesis_meta_agent_task_count)']);
    assert.deepEqual(found('quantile(0.95, rate(genesis_meta_agent_execution_duration_seconds_bucket[5m]))'), [
      'quantile(genesis_meta_agent_execution_duration_seconds_bucket)',
    ]);
    assert.deepEqual(found('quantile_over_time(0.5, genesis_meta_agent_team_size_sum[10m])'), [
      'quantile_over_time(genesis_meta_agent_team_size_sum)',
    ]);
    // The right ways, and averages of gauges, are not findings.
    assert.deepEqual(found('sum(rate(genesis_meta_agent_team_size_sum[5m])) / sum(rate(genesis_meta_agent_team_size_count[5m]))'), []);
    assert.deepEqual(found('histogram_quantile(0.95, sum by (le) (rate(genesis_meta_agent_team_size_bucket[5m])))'), []);
    assert.deepEqual(found('avg(genesis_meta_agent_revenue_confidence)'), []);
  });

  // The fault users were handed: avg() over a histogram. Checked everywhere a query is written: rules, alerts, dashboard.
  it('compute means as _sum over _count, never an average or a quantile of a histogram', () => {
    assert.ok(HISTOGRAMS.includes('genesis_meta_agent_team_size'), HISTOGRAMS.join());
    const queries = [
      ...recordingRules().map((rule) => ({ where: rule.record, expr: rule.expr })),
      ...alertRules().map((rule) => ({ where: rule.alert, expr: rule.expr })),
      ...dashboardQueries().map((query) => ({ where: query.panel, expr: query.expr })),
    ];
    for (const { where, expr } of queries) assert.deepEqual(histogramAverages(expr, HISTOGRAMS), [], `${where}: ${expr}`);
    for (const rule of recordingRules()) {
      if (rule.record.includes(':mean')) assert.match(rule.expr, /_sum\[5m\]\)\)[\s\S]*\/[\s\S]*_count\[5m\]\)\)/, rule.record);
    }
  });
});
