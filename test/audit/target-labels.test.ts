/**
 * An exposition relayed by something that scrapes or receives our metrics
 * and re-serves them with `job` and `instance` on every series (a Collector
 * scraped with honor_labels, a federating Prometheus, a Pushgateway). Here
 * the relay is a real Pushgateway, fed by the SDK's own push: audited against
 * the catalog, the catalog metrics it serves must not be reported for the
 * target labels (wrong-labels) nor for their values (unbounded-label).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTelemetry, type Telemetry } from '../../src/sdk.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { runCli } from '../support/processes.ts';
import { ensureServers, type RealServer, startPushgateway } from '../support/servers.ts';

const missing = await ensureServers();

interface JsonReport {
  findings: { rule: string; metric: string; message: string }[];
  cardinality: { metric: string; labels: { name: string }[] }[];
}

describe('auditing catalog metrics relayed with job and instance on every series', { skip: missing }, () => {
  let gateway: RealServer;
  let telemetry: Telemetry;

  before(async () => {
    gateway = await startPushgateway();
    telemetry = await startTelemetry({ port: 0, logger: captureLogger(), serviceName: 'relayed', env: {} });
    telemetry.metrics.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 20, taskCount: 9, teamSize: 4 });
    const pushed = await telemetry.pushToGateway({ url: gateway.url, job: 'genesis', grouping: { instance: '10.0.0.7:9464' } });
    assert.equal(pushed.ok, true, JSON.stringify(pushed));
  });
  after(async () => {
    await telemetry?.shutdown();
    await gateway?.stop();
  });

  it('reports neither wrong-labels nor unbounded-label for job and instance', async () => {
    const run = await runCli(['audit', `${gateway.url}/metrics`, '--json', '--fail-on', 'never']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    // The relay did carry the target labels on our metrics: otherwise this test would prove nothing.
    const created = report.cardinality.find((c) => c.metric === 'genesis_meta_agent_businesses_created_total');
    assert.deepEqual(created?.labels.map((l) => l.name).toSorted(), ['business_type', 'instance', 'job', 'status']);
    assert.deepEqual(
      report.findings
        .filter((f) => f.rule === 'wrong-labels' || f.rule === 'unbounded-label')
        .map((f) => `${f.rule} ${f.metric}: ${f.message}`),
      [],
    );
  });
});
