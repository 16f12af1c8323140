/**
 * The operations kit on real servers: a real Prometheus runs the shipped
 * prometheus.yml (targets, ports and paths swapped for the test's), scrapes the
 * demo, loads the rule files from deploy/, and answers every recording rule and
 * every dashboard query with data. The demo is driven into an auth-failure
 * spike; GenesisAuthFailuresHigh fires, and the real Alertmanager, on the
 * shipped route, delivers it to the security receiver of a webhook in the test.
 *
 * The shipped prometheus.yml keeps all its jobs (only the agent's targets are
 * swapped), so the test also shows that, with only the agent to scrape, no
 * target is down and GenesisMetricsTargetDown stays quiet.
 *
 * The only change to the shipped rules: the alerts' `for:` is 0s in a
 * temporary copy (a test cannot wait 5 minutes). Expressions and thresholds are
 * the shipped ones, so the spike is large: rate()[5m] over the few seconds of
 * data a test has is about (seconds of data / 300) of the true rate.
 *
 * The dashboard webhook's series come from the demo's real notifier, sending
 * its lifecycle events to a dashboard in the test that fails one request in
 * four (503), so failures, retries, deliveries and the outbox all move.
 *
 * The adapter's own series: the demo also pushes OTLP (to a receiver in the
 * test), so its export-failure counters are served, every reason from 0; a
 * user_id cap below the demo's 40 users makes the quota counter overflow; its
 * takedowns remove series.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AlertReceiver, startAlertReceiver } from '../support/alert-receiver.ts';
import {
  AGENT_JOB,
  alertRules,
  alertsWithShortFor,
  dashboardQueries,
  RECORDING_RULES,
  recordingRules,
  testAlertmanagerConfig,
  testPrometheusConfig,
} from '../support/deploy-kit.ts';
import { type FlakyDashboard, startFlakyDashboard } from '../support/flaky-dashboard.ts';
import { type OtlpJsonReceiver, startOtlpJsonReceiver } from '../support/otlp-json-receiver.ts';
import { type RunningProcess, startCli } from '../support/processes.ts';
import {
  type AlertmanagerServer,
  ensureServers,
  type PrometheusServer,
  startAlertmanager,
  startPrometheusWithConfig,
} from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const missing = await ensureServers();
/** Auth failures per second the demo adds: far above the 5/s threshold, see above. */
const ATTACK = 1500;
const SLOW = { timeoutMs: 30_000, intervalMs: 250 };

describe('the operations kit on a real Prometheus and Alertmanager', { skip: missing }, () => {
  let receiver: AlertReceiver;
  let alertmanager: AlertmanagerServer;
  let demo: RunningProcess;
  let dashboard: FlakyDashboard;
  let collector: OtlpJsonReceiver;
  let prometheus: PrometheusServer;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'genesis-kit-'));
    receiver = await startAlertReceiver();
    alertmanager = await startAlertmanager(testAlertmanagerConfig(receiver.url));
    dashboard = await startFlakyDashboard({ failEvery: 4 });
    collector = await startOtlpJsonReceiver();
    demo = startCli(['demo', '--port', '0', '--rate', '20', '--auth-failures', String(ATTACK), '--quiet'], {
      GENESIS_DASHBOARD_URL: dashboard.url,
      GENESIS_DASHBOARD_OUTBOX: join(dir, 'outbox'),
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      GENESIS_USER_ID_MAX: '5',
    });
    const agent = (await demo.waitForOutput(/serving metrics at http:\/\/(\S+)\/metrics/))[1] as string;
    const alerts = join(dir, 'alerts.yml');
    await writeFile(alerts, alertsWithShortFor('0s'));
    const config = testPrometheusConfig({
      agentTargets: [agent],
      ruleFiles: [RECORDING_RULES, alerts],
      alertmanager: alertmanager.address,
    });
    prometheus = await startPrometheusWithConfig(config);
    await waitFor(
      'the agent to be up',
      async () => {
        const up = await prometheus.query(`up{job="${AGENT_JOB}"} == 1`);
        return up.length === 1 || undefined;
      },
      SLOW,
    );
  });

  after(async () => {
    await prometheus?.stop();
    await dashboard?.close();
    await demo?.stop();
    await collector?.close(); // after the demo: its shutdown flushes the last export here
    await alertmanager?.stop();
    await receiver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads every rule of deploy/ and evaluates each without error', async () => {
    const rules = await waitFor(
      'every rule to be evaluated',
      async () => {
        const response = await fetch(`${prometheus.url}/api/v1/rules`);
        const body = (await response.json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
        const all = body.data.groups.flatMap((group) => group.rules);
        return all.length > 0 && all.every((rule) => rule.health !== 'unknown') ? all : undefined;
      },
      SLOW,
    );
    const expected = [...recordingRules().map((rule) => rule.record), ...alertRules().map((rule) => rule.alert)];
    assert.deepEqual(rules.map((rule) => rule.name).toSorted(), expected.toSorted());
    assert.deepEqual(
      rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.lastError}`),
      [],
    );
  });

  it('answers every recording rule with data (finite values)', async () => {
    for (const { record, labels } of recordingRules()) {
      const selector = `${record}{${Object.entries(labels ?? {})
        .map(([key, value]) => `${key}="${value}"`)
        .join(',')}}`;
      const result = await waitFor(
        `${selector} to have a finite value`,
        async () => {
          const series = await prometheus.query(selector);
          return series.length > 0 && series.every((s) => Number.isFinite(Number(s.value[1]))) ? series : undefined;
        },
        SLOW,
      );
      assert.ok(result.length > 0, selector);
    }
  });

  it('answers every query of the dashboard with data (finite values)', async () => {
    for (const { panel, expr } of dashboardQueries()) {
      const result = await waitFor(
        `"${panel}": ${expr} to return finite data`,
        async () => {
          const series = await prometheus.query(expr);
          return series.length > 0 && series.every((s) => Number.isFinite(Number(s.value[1]))) ? series : undefined;
        },
        SLOW,
      );
      assert.ok(result.length > 0, `${panel}: ${expr}`);
    }
  });

  // Run as shipped, with only the agent to scrape (no Collector runs here, as for a user who scrapes the agent
  // directly): every target is up and nothing pages about a target. A shipped job for a server the user does not run
  // would be a target down for good, and GenesisMetricsTargetDown a page for ever.
  it('scrapes only the agent as shipped: every target up, and GenesisMetricsTargetDown stays quiet', async () => {
    const targets = await waitFor(
      'every target to be scraped',
      async () => {
        const response = await fetch(`${prometheus.url}/api/v1/targets?state=active`);
        const body = (await response.json()) as {
          data: {
            activeTargets: { scrapePool: string; health: string; lastScrape: string; lastScrapeDuration: number; lastError: string }[];
          };
        };
        const active = body.data.activeTargets;
        return active.length > 0 && active.every((target) => target.health !== 'unknown') ? active : undefined;
      },
      SLOW,
    );
    assert.deepEqual(
      targets.map((target) => `${target.scrapePool}: ${target.health} ${target.lastError}`),
      [`${AGENT_JOB}: up `],
    );
    // The alert must have been evaluated on those scrapes' results, so a quiet answer is not merely an early one.
    const scraped = Math.max(...targets.map((target) => Date.parse(target.lastScrape) + target.lastScrapeDuration * 1000));
    const rule = await waitFor(
      'GenesisMetricsTargetDown to be evaluated after the scrapes',
      async () => {
        const response = await fetch(`${prometheus.url}/api/v1/rules?type=alert`);
        const body = (await response.json()) as {
          data: { groups: { rules: { name: string; state: string; lastEvaluation: string }[] }[] };
        };
        const found = body.data.groups.flatMap((group) => group.rules).find((r) => r.name === 'GenesisMetricsTargetDown');
        return found !== undefined && Date.parse(found.lastEvaluation) > scraped ? found : undefined;
      },
      SLOW,
    );
    assert.equal(rule.state, 'inactive');
  });

  it('fires GenesisAuthFailuresHigh on the spike, and Alertmanager routes it to the security receiver', async () => {
    const notification = await waitFor(
      'the alert at the webhook receiver',
      () =>
        receiver.notifications.find((n) =>
          n.body.alerts.some((alert) => alert.labels.alertname === 'GenesisAuthFailuresHigh' && alert.status === 'firing'),
        ),
      SLOW,
    );
    assert.equal(notification.path, '/genesis-security');
    assert.equal(notification.body.receiver, 'genesis-security');
    const alert = notification.body.alerts.find((a) => a.labels.alertname === 'GenesisAuthFailuresHigh');
    assert.equal(alert?.labels.severity, 'warning');
    assert.match(alert?.annotations.description ?? '', /^Requests are refused by authentication at [\d.]+k?\/s over the last 5 minutes/);
    assert.match(alert?.annotations.runbook_url ?? '', /#genesisauthfailureshigh$/);
  });
});
