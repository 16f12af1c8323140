/**
 * `genesis-telemetry audit` as a user runs it, on our own endpoint: the demo
 * audits clean against the catalog (the id labels business_id and user_id are
 * reported as info, bounded by the catalog, and pass the default gate), the
 * three outputs, --fail-on, auth, stdin, and the exit code 2 for usage errors.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { genesisCatalog } from '../../src/audit/audit-context.ts';
import { loadExposition } from '../../src/audit/load-input.ts';
import { auditExposition } from '../../src/audit/run-audit.ts';
import { type RunningProcess, runCli, startCli } from '../support/processes.ts';
import { promtoolCheckMetrics, ruleOfProblem } from '../support/promtool.ts';
import { ensureServers } from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const noPromtool = await ensureServers();
const CONTEXT = { catalog: genesisCatalog(), budgets: { default: 1000, perMetric: new Map<string, number>() } };
const ID_METRICS = [
  'genesis_meta_agent_business_health_score',
  'genesis_meta_agent_quota_denied_total',
  'genesis_meta_agent_revenue_confidence',
  'genesis_meta_agent_revenue_projected_mrr',
];

describe('genesis-telemetry audit on the demo', () => {
  let demo: RunningProcess;
  let url: string;

  before(async () => {
    demo = startCli(['demo', '--port', '0', '--rate', '50', '--seed', '5', '--quiet']);
    url = (await demo.waitForOutput(/serving metrics at (http:\S+)/))[1] as string;
    // The histograms, gauges and per-user counter appear with their first measurement.
    await waitFor('every business metric to be recorded', async () => {
      const report = auditExposition(url, await loadExposition(url, { timeoutMs: 10_000 }), CONTEXT);
      return report.findings.every((f) => f.rule !== 'not-yet-recorded') || undefined;
    });
  });
  after(() => demo.stop());

  it('audits clean against the catalog: exit 0, grade A, only the bounded id labels as info', async () => {
    const run = await runCli(['audit', url, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { grade: { letter: string; score: number }; findings: { rule: string; metric: string }[] };
    assert.deepEqual(
      report.findings.map((f) => `${f.rule} ${f.metric}`),
      ID_METRICS.map((metric) => `bounded-id-label ${metric}`),
    );
    assert.deepEqual([report.grade.letter, report.grade.score], ['A', 100]);
  });

  it('prints a table by default and a review report with --markdown', async () => {
    const table = await runCli(['audit', url]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /grade A \(100\/100\): 0 errors, 0 warnings, 4 info; \d+ metrics, \d+ series \(catalog: genesis\)/);
    assert.match(table.stdout, /info {6}cardinality {2}bounded-id-label {2}genesis_meta_agent_quota_denied_total/);
    const markdown = await runCli(['audit', url, '--markdown']);
    assert.equal(markdown.code, 0, markdown.stderr);
    for (const heading of ['# Metrics audit:', '## Inventory', '## Naming', '## Cardinality', '## Consistency', '### Series per metric']) {
      assert.ok(markdown.stdout.includes(heading), heading);
    }
    assert.match(markdown.stdout, /\| info \| `bounded-id-label` \| `genesis_meta_agent_revenue_confidence` \| id label business_id/);
  });

  it('fails the gate with --fail-on info, and on a budget set below the series', async () => {
    assert.equal((await runCli(['audit', url, '--fail-on', 'info'])).code, 1);
    const tight = await runCli(['audit', url, '--json', '--budget', 'genesis_meta_agent_businesses_created_total=3']);
    assert.equal(tight.code, 1);
    const findings = (JSON.parse(tight.stdout) as { findings: { rule: string; metric: string }[] }).findings;
    assert.deepEqual(
      findings.filter((f) => f.rule === 'series-budget').map((f) => f.metric),
      ['genesis_meta_agent_businesses_created_total'],
    );
  });

  it('reads stdin with -', async () => {
    const text = await loadExposition(url, { timeoutMs: 10_000 });
    const run = await runCli(['audit', '-', '--json'], { input: text });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { source: string }).source, '-');
  });

  it('agrees with promtool check metrics on the demo exposition', { skip: noPromtool }, async () => {
    const text = await loadExposition(url, { timeoutMs: 10_000 });
    const lint = await promtoolCheckMetrics(text);
    assert.equal(lint.parseError, undefined);
    const findings = new Set(auditExposition(url, text, CONTEXT).findings.map((f) => `${f.metric} ${f.rule}`));
    for (const problem of lint.problems) {
      assert.ok(findings.has(`${problem.metric} ${ruleOfProblem(problem.text)}`), `${problem.metric}: ${problem.text}`);
    }
  });
});

describe('genesis-telemetry audit on a protected or silent endpoint', () => {
  let demo: RunningProcess;
  let url: string;
  let silent: Server;

  before(async () => {
    demo = startCli(['demo', '--port', '0', '--rate', '5', '--quiet'], { GENESIS_METRICS_BEARER_TOKEN: 's3cret' });
    url = (await demo.waitForOutput(/serving metrics at (http:\S+)/))[1] as string;
    silent = createServer(() => {}); // accepts connections and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await demo.stop();
    silent.close();
  });

  it('sends a bearer token, and explains a 401 without one', async () => {
    const refused = await runCli(['audit', url]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /answered 401: give credentials with --bearer-token or --basic-auth/);
    const run = await runCli(['audit', url, '--bearer-token', 's3cret', '--fail-on', 'never']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /catalog: genesis/);
    const fromEnv = await runCli(['audit', url, '--fail-on', 'never'], { env: { GENESIS_AUDIT_BEARER_TOKEN: 's3cret' } });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    assert.doesNotMatch(refused.stderr + run.stdout + run.stderr, /s3cret/);
  });

  it('gives up after --timeout', async () => {
    const address = silent.address();
    assert.ok(address !== null && typeof address === 'object');
    const started = Date.now();
    const run = await runCli(['audit', `http://127.0.0.1:${address.port}/metrics`, '--timeout', '0.5']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /did not answer within 0\.5 s: raise --timeout/);
    assert.ok(Date.now() - started < 10_000);
  });
});

describe('genesis-telemetry audit usage errors', () => {
  it('exits 2 with a message and no stack trace', async () => {
    // Each flag's validation is tested in settings-and-grade.test.ts; here, that the command line turns them into exit code 2.
    const cases = [
      [['audit'], /audit takes one source/],
      [['audit', '-', '--fail-on', 'fatal'], /--fail-on takes error, warning, info or never/],
      [['audit', '/nonexistent/metrics.prom'], /cannot read \/nonexistent\/metrics.prom \(ENOENT\)/],
      [['audit', '-', '--colour'], /Unknown option '--colour'/],
      [['audit', 'http://u:p@127.0.0.1:9/metrics'], /not in the URL/],
    ] as const;
    for (const [args, message] of cases) {
      const run = await runCli([...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('exits 2 on input that is no exposition, naming the line', async () => {
    const run = await runCli(['audit', '-'], { input: 'ok 1\nbroken{x="1" 2\n' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /genesis-telemetry audit: -: line 2: /);
  });
});
