/**
 * The audit on expositions no one here wrote: the real Prometheus, Pushgateway
 * and Alertmanager, started once for this file and fetched live. Each parses,
 * its findings are the recorded ones, and every problem `promtool check
 * metrics` reports on the same text is also reported by the audit. promtool
 * reports none on them (recorded and asserted), so the same check also runs
 * with one mistake appended, which both must report.
 *
 * Recorded findings, with --catalog none: none for all three. They are Go
 * programs built on client_golang, whose names follow the conventions promtool
 * enforces (it reports nothing on them either), every family has HELP, their
 * histograms are cumulative with +Inf equal to _count, and no label holds ids
 * (Prometheus' `handler` holds route templates such as /api/v1/label/:name/values,
 * a bounded set). Family and series counts change with versions and with what
 * the servers have done, so only lower bounds are asserted.
 *
 * Against the Genesis catalog (the default), a foreign endpoint lacks all 17
 * business metrics: the 9 enum-only counters, which our adapter serves from
 * the start, are errors (missing-metric); the 8 that appear with their first
 * measurement are info (not-yet-recorded).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SERIES_BUDGET } from '../../src/audit/audit-context.ts';
import { loadExposition } from '../../src/audit/load-input.ts';
import { auditExposition } from '../../src/audit/run-audit.ts';
import { runCli } from '../support/processes.ts';
import { promtoolCheckMetrics, ruleOfProblem } from '../support/promtool.ts';
import {
  alertmanagerUnavailable,
  ensureServers,
  type MetricsServer,
  type PrometheusServer,
  startAlertmanager,
  startPrometheus,
  startPushgateway,
} from '../support/servers.ts';

const missing = await ensureServers();
const noAlertmanager = missing ?? alertmanagerUnavailable();
const NO_CATALOG = { catalog: undefined, budgets: { default: DEFAULT_SERIES_BUDGET, perMetric: new Map<string, number>() } };

/** One mistake appended to a live exposition, which promtool and the audit must both report. */
const CONTROL_METRIC = 'probe_latency_milliseconds';
const CONTROL = `# HELP ${CONTROL_METRIC} Latency of the last probe.\n# TYPE ${CONTROL_METRIC} gauge\n${CONTROL_METRIC} 12\n`;

/** Lower bounds on what each server exposes (Debian 13's Prometheus 2.53, Pushgateway 1.11, Alertmanager 0.28). */
const SERVERS = [
  { name: 'Prometheus', minFamilies: 150, skip: missing },
  { name: 'Pushgateway', minFamilies: 30, skip: missing },
  { name: 'Alertmanager', minFamilies: 60, skip: noAlertmanager },
] as const;

describe('auditing real third-party expositions', { skip: missing }, () => {
  const urls = new Map<string, string>();
  let prometheus: PrometheusServer | undefined;
  let pushgateway: MetricsServer | undefined;
  let alertmanager: MetricsServer | undefined;

  before(async () => {
    pushgateway = await startPushgateway();
    urls.set('Pushgateway', `${pushgateway.url}/metrics`);
    if (noAlertmanager === undefined) {
      alertmanager = await startAlertmanager();
      urls.set('Alertmanager', `${alertmanager.url}/metrics`);
    }
    // Prometheus scrapes the other two, as it would in production, so its exposition carries its scrape metrics.
    const targets = [pushgateway.url, alertmanager?.url].filter((u) => u !== undefined).map((u) => u.replace('http://', ''));
    prometheus = await startPrometheus(Object.fromEntries(targets.map((t, i) => [`server${i}`, t])));
    urls.set('Prometheus', `${prometheus.url}/metrics`);
  });

  after(async () => {
    await prometheus?.stop();
    await pushgateway?.stop();
    await alertmanager?.stop();
  });

  for (const server of SERVERS) {
    describe(server.name, { skip: server.skip }, () => {
      let text: string;
      before(async () => {
        text = await loadExposition(urls.get(server.name) as string, { timeoutMs: 10_000 });
      });

      it('parses, and has the recorded findings: none', () => {
        const report = auditExposition(server.name, text, NO_CATALOG);
        assert.ok(report.families >= server.minFamilies, `${report.families} families`);
        assert.ok(report.series >= report.families - 5, 'nearly every family has a series');
        assert.deepEqual(
          report.findings.map((f) => `${f.rule} ${f.metric}: ${f.message}`),
          [],
        );
        assert.equal(report.grade.letter, 'A');
      });

      it('reports every problem promtool check metrics reports: recorded, none; and a problem added to it', async () => {
        // The live exposition, then the same with one mistake appended: promtool must find exactly what is recorded
        // for each, so that the agreement loop runs on at least one problem and cannot pass on an empty list unnoticed.
        for (const [input, recorded] of [
          [text, []],
          [`${text}${CONTROL}`, [`${CONTROL_METRIC} use base unit "seconds" instead of "milliseconds"`]],
        ] as const) {
          const lint = await promtoolCheckMetrics(input);
          assert.equal(lint.parseError, undefined);
          assert.deepEqual(
            lint.problems.map((p) => `${p.metric} ${p.text}`),
            recorded,
          );
          const findings = new Set(auditExposition(server.name, input, NO_CATALOG).findings.map((f) => `${f.metric} ${f.rule}`));
          for (const problem of lint.problems) {
            assert.ok(findings.has(`${problem.metric} ${ruleOfProblem(problem.text)}`), `${problem.metric}: ${problem.text}`);
          }
        }
      });

      it('exits 0 from the command line with --catalog none, fetching the URL itself', async () => {
        const run = await runCli(['audit', urls.get(server.name) as string, '--catalog', 'none', '--fail-on', 'warning']);
        assert.equal(run.code, 0, run.stderr + run.stdout);
        assert.match(run.stdout, /grade A \(100\/100\): 0 errors, 0 warnings, 0 info/);
      });
    });
  }

  it('against the Genesis catalog, finds Prometheus lacks every business metric, and exits 1', async () => {
    const run = await runCli(['audit', urls.get('Prometheus') as string, '--json']);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { findings: { rule: string; metric: string }[] };
    const byRule = (rule: string) => report.findings.filter((f) => f.rule === rule).map((f) => f.metric);
    assert.deepEqual(byRule('missing-metric').toSorted(), [
      'genesis_meta_agent_auth_failures_total',
      'genesis_meta_agent_businesses_created_total',
      'genesis_meta_agent_deployment_costs_usd_total',
      'genesis_meta_agent_lifecycle_events_total',
      'genesis_meta_agent_memory_operations_total',
      'genesis_meta_agent_safety_violations_total',
      'genesis_meta_agent_stripe_payment_intents_total',
      'genesis_meta_agent_takedowns_total',
      'genesis_meta_agent_vercel_deployments_total',
    ]);
    assert.deepEqual(byRule('not-yet-recorded').toSorted(), [
      'genesis_meta_agent_business_health_score',
      'genesis_meta_agent_deployment_success_rate',
      'genesis_meta_agent_execution_duration_seconds',
      'genesis_meta_agent_quota_denied_total',
      'genesis_meta_agent_revenue_confidence',
      'genesis_meta_agent_revenue_projected_mrr',
      'genesis_meta_agent_task_count',
      'genesis_meta_agent_team_size',
    ]);
    assert.equal(report.findings.length, 17);
  });
});
