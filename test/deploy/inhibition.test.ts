/**
 * The inhibition of the shipped alertmanager.yml, on the real Alertmanager
 * (amtool tests routes, not inhibitions). The alerts are posted to its API
 * with the labels the shipped rules fire with, as their promtool unit tests
 * expect them: job and instance only where the expression keeps them.
 *
 * While one replica's target is down (GenesisMetricsTargetDown), only the
 * warnings about that same replica are muted. The fleet-wide warnings, whose
 * sum aggregates job and instance away, still reach their receivers, and so
 * does anything of area="security", even about the down replica itself: an
 * attack may be what takes an endpoint down.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AlertReceiver, startAlertReceiver } from '../support/alert-receiver.ts';
import { AGENT_JOB, alertRules, ruleTestGroups, testAlertmanagerConfig } from '../support/deploy-kit.ts';
import { type AlertmanagerServer, alertmanagerUnavailable, ensureServers, startAlertmanager } from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const missing = (await ensureServers()) ?? alertmanagerUnavailable();

type Labels = Record<string, string>;

/** Each alert of alerts.yml with the labels it fires with, from the first firing case of its promtool unit test. */
function firingLabels(): Map<string, Labels> {
  const labels = new Map<string, Labels>();
  for (const group of ruleTestGroups()) {
    for (const test of group.alert_rule_test ?? []) {
      const first = test.exp_alerts[0] as { exp_labels?: Labels } | undefined;
      if (first !== undefined && !labels.has(test.alertname))
        labels.set(test.alertname, { alertname: test.alertname, ...first.exp_labels });
    }
  }
  return labels;
}

interface ApiAlert {
  labels: Labels;
  status: { state: string; inhibitedBy: string[] };
}

/** Who an alert is in the assertions: its name, and the instance for a per-replica one. */
const describeAlert = (labels: Labels): string => `${labels.alertname}${labels.instance === undefined ? '' : ` ${labels.instance}`}`;

describe('the shipped inhibition on a real Alertmanager', { skip: missing }, () => {
  let receiver: AlertReceiver;
  let alertmanager: AlertmanagerServer;
  const firing = firingLabels();
  const labelsOf = (alertname: string): Labels => {
    const labels = firing.get(alertname);
    if (labels === undefined) throw new Error(`${alertname} has no firing promtool test`);
    return labels;
  };
  const targetDown = labelsOf('GenesisMetricsTargetDown');
  const downTarget = { job: targetDown.job ?? '', instance: targetDown.instance ?? '' };
  /** Every other alert of alerts.yml as it fires, one per-replica alert also for a replica that is still scraped. */
  const others: Labels[] = [];
  /** The alerts expected muted: the per-replica ones about the down target that are not security. */
  const muted: Labels[] = [];

  const post = async (alerts: Labels[]): Promise<void> => {
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((labels) => ({ labels }))),
    });
    assert.equal(response.status, 200, await response.text());
  };
  const listed = async (): Promise<ApiAlert[]> => (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as ApiAlert[];

  before(async () => {
    assert.equal(downTarget.job, AGENT_JOB);
    for (const rule of alertRules()) {
      if (rule.alert === 'GenesisMetricsTargetDown') continue;
      const labels = labelsOf(rule.alert);
      if (labels.instance === undefined) {
        others.push(labels);
      } else {
        // A per-replica alert: once about the down replica, once about another one.
        const same: Labels = { ...labels, ...downTarget };
        others.push(same, { ...labels, instance: 'still-scraped:8001' });
        // Muted: a warning about the down replica that is not security. A critical one would still page.
        if (same.severity === 'warning' && same.area !== 'security') muted.push(same);
      }
    }
    assert.ok(muted.length > 0, 'alerts.yml has a per-replica warning that a target down mutes');
    // A per-replica security warning, as a user may add one (auth failures by instance): never muted, not even
    // about the down replica. No shipped alert is one, and without it this test could not tell whether the
    // security area is excluded or merely aggregated out of reach of `equal`.
    others.push({ ...labelsOf('GenesisAuthFailuresHigh'), ...downTarget });

    receiver = await startAlertReceiver();
    alertmanager = await startAlertmanager(testAlertmanagerConfig(receiver.url));
    // The target-down alert is posted first, and the others only once the inhibitor knows it (a probe alert shows
    // when): posted together, a warning's first notification could go out before the inhibitor has seen the source,
    // and what the receivers got would prove nothing about the inhibition.
    await post([targetDown]);
    const probe = { alertname: 'GenesisInhibitionProbe', severity: 'warning', ...downTarget };
    await post([probe]);
    await waitFor('the probe to be inhibited by the target down', async () =>
      (await listed()).some((alert) => alert.labels.alertname === probe.alertname && alert.status.inhibitedBy.length > 0),
    );
    await post(others);
  });

  after(async () => {
    await alertmanager?.stop();
    await receiver?.close();
  });

  it('mutes only the warnings about the down target, never the fleet-wide ones nor the security area', async () => {
    const alerts = await waitFor('every posted alert to be listed', async () => {
      const all = await listed();
      return all.length === others.length + 2 ? all : undefined;
    });
    const source = alerts.find((alert) => alert.labels.alertname === 'GenesisMetricsTargetDown');
    assert.equal(source?.status.state, 'active');
    const suppressed = alerts
      .filter((alert) => alert.status.inhibitedBy.length > 0 && alert.labels.alertname !== 'GenesisInhibitionProbe')
      .map((alert) => describeAlert(alert.labels));
    assert.deepEqual(suppressed.toSorted(), muted.map(describeAlert).toSorted());
    const active = alerts.filter((alert) => alert.status.state === 'active').map((alert) => describeAlert(alert.labels));
    for (const labels of others.filter((alert) => !muted.includes(alert)))
      assert.ok(active.includes(describeAlert(labels)), describeAlert(labels));
  });

  it('delivers the security warnings to the security receiver while the target is down, and never a muted one', async () => {
    const security = others.filter((labels) => labels.area === 'security');
    assert.ok(security.some((labels) => labels.alertname === 'GenesisAuthFailuresHigh' && labels.instance === undefined));
    const delivered = (path: string): Labels[] =>
      receiver.notifications.filter((n) => n.path === path).flatMap((n) => n.body.alerts.map((alert) => alert.labels));
    await waitFor('every security warning at the security receiver', () =>
      security.every((labels) => delivered('/genesis-security').some((got) => describeAlert(got) === describeAlert(labels))),
    );
    // The muted alerts share their notification group (alertname, job) with the same alert of a replica still
    // scraped: once that has been delivered, the group has been notified without the muted ones.
    const groupMates = others.filter(
      (labels) => !muted.includes(labels) && muted.some((m) => m.alertname === labels.alertname && m.job === labels.job),
    );
    assert.ok(groupMates.length > 0);
    await waitFor('the muted alerts’ groups to be notified', () =>
      groupMates.every((labels) => delivered('/genesis-tickets').some((got) => describeAlert(got) === describeAlert(labels))),
    );
    const everything = receiver.notifications.flatMap((n) => n.body.alerts.map((alert) => describeAlert(alert.labels)));
    for (const labels of muted) assert.ok(!everything.includes(describeAlert(labels)), `${describeAlert(labels)} was muted`);
    assert.ok(
      delivered('/genesis-pager').some((got) => got.alertname === 'GenesisMetricsTargetDown'),
      'the target down pages',
    );
  });
});
