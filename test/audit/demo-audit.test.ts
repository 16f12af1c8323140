/**
 * `genesis-telemetry audit` as a user runs it, on our own endpoint: the demo
 * audits clean against the catalog (the id labels business_id and user_id are
 * reported as info, bounded by the catalog, and pass the default gate), the
 * three outputs, --fail-on, auth (a bearer token on the demo, basic auth on a
 * real Pushgateway that demands it), stdin, and the exit code 2 for usage errors.
 *
 * The demo sends its lifecycle events to the project's verifying receiver, so
 * that the dashboard webhook's metrics (served only where a notifier runs) are
 * on the endpoint and audited too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { genesisCatalog } from '../../src/audit/audit-context.ts';
import { loadExposition } from '../../src/audit/load-input.ts';
import { auditExposition } from '../../src/audit/run-audit.ts';
import { prometheusName } from '../../src/catalog/naming.ts';
import { WEBHOOK_METRICS } from '../../src/catalog/webhook-metrics.ts';
import { startVerifyingReceiver, type VerifyingReceiver } from '../../src/webhook/verifying-receiver.ts';
import { freePort, type RunningProcess, runCli, startCli, startProcess } from '../support/processes.ts';
import { promtoolCheckMetrics, ruleOfProblem } from '../support/promtool.ts';
import { ensureServers, SERVERS_BIN } from '../support/servers.ts';
import { waitFor } from '../support/wait.ts';

const noPromtool = await ensureServers();
const CONTEXT = { catalog: genesisCatalog(), budgets: { default: 1000, perMetric: new Map<string, number>() } };
const ID_METRICS = [
  'genesis_meta_agent_business_health_score',
  'genesis_meta_agent_quota_denied_total',
  'genesis_meta_agent_revenue_confidence',
  'genesis_meta_agent_revenue_projected_mrr',
];

/** The 8 families of the dashboard webhook, as the endpoint names them. */
const WEBHOOK_FAMILIES = WEBHOOK_METRICS.map(prometheusName).toSorted();

describe('genesis-telemetry audit on the demo', () => {
  let demo: RunningProcess;
  let url: string;
  let receiver: VerifyingReceiver;
  let outbox: string;
  let delivered = 0;
  const refused: string[] = [];

  before(async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    receiver = await startVerifyingReceiver({
      secrets: [secret],
      onEvent: () => {
        delivered++;
      },
      onRefused: (reason) => refused.push(reason),
    });
    // Its own outbox folder: the default is the user's state folder, which a test must not touch.
    outbox = await mkdtemp(join(tmpdir(), 'genesis-audit-outbox-'));
    demo = startCli(['demo', '--port', '0', '--rate', '50', '--seed', '5', '--quiet'], {
      GENESIS_DASHBOARD_URL: receiver.url,
      GENESIS_DASHBOARD_WEBHOOK_SECRET: secret,
      GENESIS_DASHBOARD_OUTBOX: outbox,
    });
    url = (await demo.waitForOutput(/serving metrics at (http:\S+)/))[1] as string;
    // The histograms, gauges and per-user counter appear with their first measurement; the delivery histogram with the first delivery.
    await waitFor('every business and webhook metric to be recorded', async () => {
      const report = auditExposition(url, await loadExposition(url, { timeoutMs: 10_000 }), CONTEXT);
      const served = new Set(report.cardinality.map((c) => c.metric));
      return (report.findings.every((f) => f.rule !== 'not-yet-recorded') && WEBHOOK_FAMILIES.every((m) => served.has(m))) || undefined;
    });
  });
  after(async () => {
    await demo.stop();
    await receiver.close();
    await rm(outbox, { recursive: true, force: true });
  });

  it('audits clean against the catalog: exit 0, grade A, only the bounded id labels as info', async () => {
    const run = await runCli(['audit', url, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      grade: { letter: string; score: number };
      findings: { rule: string; metric: string }[];
      cardinality: { metric: string; series: number }[];
    };
    assert.deepEqual(
      report.findings.map((f) => `${f.rule} ${f.metric}`),
      ID_METRICS.map((metric) => `bounded-id-label ${metric}`),
    );
    assert.deepEqual([report.grade.letter, report.grade.score], ['A', 100]);
    // The webhook's metrics were audited, not merely allowed to be absent: all 8 are in the exposition.
    const served = report.cardinality.filter((c) => c.metric.includes('_dashboard_webhook_'));
    assert.deepEqual(served.map((c) => c.metric).toSorted(), WEBHOOK_FAMILIES);
    assert.ok(
      served.every((c) => c.series > 0),
      'each webhook family has a series',
    );
  });

  it('delivers the lifecycle events to the verifying receiver, every signature accepted', () => {
    assert.ok(delivered > 0, 'the receiver got events');
    assert.deepEqual(refused, []);
  });

  it('prints a table by default and a review report with --markdown', async () => {
    const table = await runCli(['audit', url]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /grade A \(100\/100\): 0 errors, 0 warnings, 4 info; \d+ metrics, \d+ series \(catalog: genesis\)/);
    assert.match(table.stdout, /info {6}cardinality {2}bounded-id-label {2}genesis_meta_agent_quota_denied_total/);
    // The cardinality block: a per-business gauge against the business cap, a counter with the values of both its labels.
    assert.match(table.stdout, /\nseries per metric \(the 10 largest\)\nMETRIC +TYPE +SERIES +BUDGET +VALUES PER LABEL\n/);
    assert.match(table.stdout, /\ngenesis_meta_agent_business_health_score +gauge +\d+ +5000 +business_id \d+\n/);
    assert.match(table.stdout, /\ngenesis_meta_agent_businesses_created_total +counter +\d+ +44 +business_type \d+, status \d+\n/);
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

/** The exporter-toolkit's web config: one user, the password as bcrypt (cost 4, the lowest, so each check stays fast). */
const BASIC_USER = 'auditor';
const BASIC_PASSWORD = 'scrape-only';
const WEB_CONFIG = `basic_auth_users:\n  ${BASIC_USER}: $2b$04$0m6FPCWdaa/ZVNpz.58gA.PwGXxWBVIgUbChLdrd13TfEF6/locRi\n`;

describe('genesis-telemetry audit on a real server that demands basic auth', { skip: noPromtool }, () => {
  let pushgateway: RunningProcess;
  let dir: string;
  let url: string;

  before(async () => {
    // A Pushgateway (not our own endpoint): basic auth as Prometheus' exporter-toolkit checks it, not as we wrote it.
    dir = await mkdtemp(join(tmpdir(), 'genesis-audit-basic-'));
    await writeFile(join(dir, 'web.yml'), WEB_CONFIG);
    const port = await freePort();
    pushgateway = startProcess(join(SERVERS_BIN, 'prometheus-pushgateway'), [
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.config.file=${join(dir, 'web.yml')}`,
      '--log.level=warn',
    ]);
    url = `http://127.0.0.1:${port}/metrics`;
    const authorization = `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}`;
    await waitFor('the Pushgateway to be ready', async () => (await fetch(url, { headers: { authorization } })).ok || undefined);
  });
  after(async () => {
    await pushgateway.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused without credentials or with a wrong password, and explains the 401', async () => {
    for (const args of [[], ['--basic-auth', `${BASIC_USER}:wrong`]]) {
      const run = await runCli(['audit', url, '--catalog', 'none', ...args]);
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, /answered 401: give credentials with --bearer-token or --basic-auth/);
    }
  });

  it('sends --basic-auth (or GENESIS_AUDIT_BASIC_AUTH), and audits what the server serves', async () => {
    const flag = await runCli(['audit', url, '--catalog', 'none', '--basic-auth', `${BASIC_USER}:${BASIC_PASSWORD}`]);
    assert.equal(flag.code, 0, flag.stderr);
    assert.match(flag.stdout, /grade A \(100\/100\): 0 errors, 0 warnings, 0 info; \d+ metrics/);
    const env = { GENESIS_AUDIT_BASIC_AUTH: `${BASIC_USER}:${BASIC_PASSWORD}` };
    const fromEnv = await runCli(['audit', url, '--catalog', 'none', '--json'], { env });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const report = JSON.parse(fromEnv.stdout) as { cardinality: { metric: string }[] };
    assert.ok(
      report.cardinality.some((c) => c.metric === 'pushgateway_build_info'),
      "the Pushgateway's own exposition",
    );
    assert.doesNotMatch(flag.stdout + flag.stderr + fromEnv.stdout + fromEnv.stderr, new RegExp(BASIC_PASSWORD));
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
