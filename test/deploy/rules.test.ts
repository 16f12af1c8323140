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
import { alertRules, dashboardQueries, recordingRules, ruleTestGroups } from '../support/deploy-kit.ts';
import { REPO_ROOT } from '../support/processes.ts';
import { metricNames } from '../support/promql-names.ts';

const RUNBOOK_BASE = 'https://github.com/genesis-meta-agent/genesis-telemetry/blob/main/README.md#';

/** The thresholds, durations and severities users rely on. */
const EXPECTED: Record<string, { threshold: string; for: string | undefined; severity: string }> = {
  GenesisBusinessCreationFailureRateHigh: { threshold: '> 0.2', for: '5m', severity: 'warning' },
  GenesisDeploymentFailuresHigh: { threshold: '> 0.5', for: '2m', severity: 'critical' },
  GenesisAuthFailuresHigh: { threshold: '> 5', for: '5m', severity: 'warning' },
  GenesisQuotaViolationsHigh: { threshold: '> 10', for: '5m', severity: 'warning' },
  GenesisDashboardWebhookDown: { threshold: '> 0.5', for: '10m', severity: 'warning' },
  GenesisDashboardWebhookOutboxStale: { threshold: '> 900', for: '5m', severity: 'warning' },
  GenesisDashboardWebhookDeadLetters: { threshold: '> 0', for: undefined, severity: 'warning' },
  GenesisMetricsTargetDown: { threshold: '== 0', for: '2m', severity: 'critical' },
};

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

  it("are the alerts users route on, and the kit's own", () => {
    assert.deepEqual(alerts.map((rule) => rule.alert).toSorted(), Object.keys(EXPECTED).toSorted());
  });

  it('keep the thresholds, durations and severities', () => {
    for (const rule of alerts) {
      const expected = EXPECTED[rule.alert];
      assert.ok(expected, rule.alert);
      assert.ok(rule.expr.trim().endsWith(expected.threshold), `${rule.alert}: ${rule.expr}`);
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

  it('compute means as _sum over _count, never an average of a histogram', () => {
    for (const rule of recordingRules()) {
      assert.doesNotMatch(rule.expr, /avg\s*(\(|by|without)[^)]*_(bucket|count|sum)\b/, rule.record);
      if (rule.record.includes(':mean')) assert.match(rule.expr, /_sum\[5m\]\)\)[\s\S]*\/[\s\S]*_count\[5m\]\)\)/, rule.record);
    }
  });
});
