/**
 * The kit's files as Prometheus' and Alertmanager's own tools read them:
 * promtool checks the shipped prometheus.yml as is (rule files included) and
 * runs the unit tests of every rule; amtool checks the route and tells which
 * receiver each alert reaches. In CI a missing tool is a failure.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  AGENT_JOB,
  ALERTMANAGER_CONFIG,
  ALERTS,
  alertRules,
  commentedOutScrapeJob,
  PROMETHEUS_CONFIG,
  prometheusConfigWithJobs,
  RECORDING_RULES,
  RULE_TESTS,
  scrapeJobs,
} from '../support/deploy-kit.ts';
import { ensureServers, runServerTool } from '../support/servers.ts';

const missing = await ensureServers();

describe('promtool and amtool on deploy/', { skip: missing }, () => {
  it('promtool check config accepts the shipped prometheus.yml and both rule files it names', async () => {
    const { code, output } = await runServerTool('promtool', ['check', 'config', PROMETHEUS_CONFIG]);
    assert.equal(code, 0, output);
    assert.match(output, /SUCCESS: 2 rule files found/);
    assert.match(output, /recording-rules\.yml\n\s+SUCCESS: \d+ rules found/);
    assert.match(output, /alerts\.yml\n\s+SUCCESS: \d+ rules found/);
  });

  // Where no Collector runs, an active otel-collector job is a target down for good: GenesisMetricsTargetDown pages
  // for ever (and, before its inhibition was scoped, muted every warning). So the Collector's job ships commented out,
  // as the alternative to scraping the replicas directly; uncommented as the file says, it must be a valid job.
  it('ships the agent job only, and the commented-out otel-collector job passes promtool once uncommented', async () => {
    assert.deepEqual(
      scrapeJobs().map((job) => job.job_name),
      [AGENT_JOB],
    );
    const collector = commentedOutScrapeJob('otel-collector');
    assert.equal(collector.job_name, 'otel-collector');
    assert.equal(collector.honor_labels, true, 'keeps each replica as one series');
    assert.deepEqual(collector.static_configs, [{ targets: ['localhost:8889'] }]);
    const dir = await mkdtemp(join(tmpdir(), 'genesis-prometheus-config-'));
    try {
      const file = join(dir, 'prometheus.yml');
      await writeFile(file, prometheusConfigWithJobs([...scrapeJobs(), collector]));
      const { code, output } = await runServerTool('promtool', ['check', 'config', file]);
      assert.equal(code, 0, output);
      assert.match(output, /SUCCESS: 2 rule files found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('promtool check rules accepts the rule files', async () => {
    const { code, output } = await runServerTool('promtool', ['check', 'rules', RECORDING_RULES, ALERTS]);
    assert.equal(code, 0, output);
  });

  it('promtool test rules passes every unit test', async () => {
    const tests = (await readdir(RULE_TESTS)).filter((name) => name.endsWith('.yml')).map((name) => join(RULE_TESTS, name));
    assert.ok(tests.length >= 2);
    const { code, output } = await runServerTool('promtool', ['test', 'rules', ...tests]);
    assert.equal(code, 0, output);
    assert.equal(output.match(/SUCCESS/g)?.length, tests.length, output);
  });

  // The rules users were handed before put severity beside expr; Prometheus rejects that.
  it('promtool rejects an alert with severity beside expr instead of under labels (the old fault)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'genesis-rules-'));
    try {
      const file = join(dir, 'old-alerts.yml');
      await writeFile(file, 'groups:\n  - name: old\n    rules:\n      - alert: Old\n        expr: vector(1)\n        severity: warning\n');
      const { code, output } = await runServerTool('promtool', ['check', 'rules', file]);
      assert.notEqual(code, 0, output);
      assert.match(output, /field severity not found/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('amtool check-config accepts the shipped alertmanager.yml', async () => {
    const { code, output } = await runServerTool('amtool', ['check-config', ALERTMANAGER_CONFIG]);
    assert.equal(code, 0, output);
  });

  it('routes each alert by its labels: critical pages, security to the security team, the rest to tickets', async () => {
    for (const rule of alertRules()) {
      const labels = Object.entries({ alertname: rule.alert, ...rule.labels }).map(([key, value]) => `${key}=${value}`);
      const { code, output } = await runServerTool('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${ALERTMANAGER_CONFIG}`,
        ...labels,
      ]);
      assert.equal(code, 0, output);
      const expected =
        rule.labels?.severity === 'critical' ? 'genesis-pager' : rule.labels?.area === 'security' ? 'genesis-security' : 'genesis-tickets';
      assert.equal(output.split('\n')[0]?.trim(), expected, `${rule.alert}: ${output}`);
    }
  });
});
