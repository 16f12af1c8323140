/**
 * `genesis-telemetry demo` as a user runs it: it serves all 17 metrics and
 * they move; it stops on its deadline and on Ctrl-C; bad flags are explained.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BUSINESS_METRICS } from '../../src/catalog/business-metrics.ts';
import { prometheusName, prometheusSampleNames } from '../../src/catalog/naming.ts';
import type { ExpositionFamily } from '../../src/exposition/parse-exposition.ts';
import { family, scrape } from '../support/exposition.ts';
import { type RunningProcess, startCli } from '../support/processes.ts';
import { waitFor } from '../support/wait.ts';

/** The sum of every sample of a family except bucket lines: it grows while the metric moves. */
function movement(families: ExpositionFamily[], name: string): number {
  const spec = BUSINESS_METRICS.find((s) => prometheusName(s) === name);
  const counted = spec ? prometheusSampleNames(spec).filter((n) => !n.endsWith('_bucket')) : [name];
  return (family(families, name)?.samples ?? []).filter((s) => counted.includes(s.name)).reduce((sum, s) => sum + Math.abs(s.value), 0);
}

describe('genesis-telemetry demo', () => {
  let demo: RunningProcess;
  let url: string;

  before(async () => {
    demo = startCli(['demo', '--port', '0', '--rate', '200', '--seed', '7']);
    url = (await demo.waitForOutput(/serving metrics at (http:\S+)/))[1] as string;
    await demo.waitForOutput(/simulating/);
  });
  after(() => demo.stop());

  it('prints where the metrics are and what it simulates', () => {
    assert.match(demo.output(), /simulating 200 businesses\/s until Ctrl-C \(seed 7\)/);
  });

  it('moves every one of the 17 metrics', async () => {
    const first = (await scrape(url)).families;
    const moved = await waitFor('every metric to move between two scrapes', async () => {
      const later = (await scrape(url)).families;
      const still = BUSINESS_METRICS.map((s) => prometheusName(s)).filter((name) => !(movement(later, name) > movement(first, name)));
      return still.length === 0 ? true : undefined;
    });
    assert.equal(moved, true);
  });

  it('stops cleanly on Ctrl-C (SIGINT), with a summary', async () => {
    assert.equal(await demo.stop('SIGINT'), 0);
    assert.match(demo.output(), /done: \d+ businesses created/);
  });
});

describe('genesis-telemetry demo, driven by flags and the environment', () => {
  it('runs for --duration seconds and exits 0', async () => {
    const run = startCli(['demo', '--port', '0', '--duration', '1', '--quiet']);
    assert.equal(await run.exited, 0, run.output());
    assert.match(run.output(), /for 1 s/);
    assert.doesNotMatch(run.output(), /progress:/);
  });

  it('takes the rate and duration from GENESIS_DEMO_RATE / GENESIS_DEMO_DURATION', async () => {
    const run = startCli(['demo', '--port', '0'], { GENESIS_DEMO_RATE: '50', GENESIS_DEMO_DURATION: '1' });
    assert.equal(await run.exited, 0, run.output());
    assert.match(run.output(), /simulating 50 businesses\/s for 1 s/);
  });

  it('explains bad input with exit code 2 and no stack trace', async () => {
    for (const [args, env, message] of [
      [['demo', '--rate', 'fast'], {}, /--rate must be a number greater than 0/],
      [['demo', '--port', '99999'], {}, /--port must be a port number/],
      [['demo', '--colour'], {}, /Unknown option '--colour'/],
      [['demo', '--port', '0'], { GENESIS_DEMO_DURATION: '-1' }, /GENESIS_DEMO_DURATION must be a number greater than 0/],
      [['deploy'], {}, /unknown command "deploy"/],
    ] as const) {
      const run = startCli([...args], env);
      assert.equal(await run.exited, 2, run.output());
      assert.match(run.output(), message);
      assert.doesNotMatch(run.output(), /\n\s+at /, 'no stack trace');
    }
  });

  it('refuses a taken port with a message that names it', async () => {
    const holder = startCli(['demo', '--port', '0', '--quiet']);
    const port = (await holder.waitForOutput(/127\.0\.0\.1:(\d+)/))[1] as string;
    const second = startCli(['demo', '--port', port]);
    assert.equal(await second.exited, 2);
    assert.match(second.output(), new RegExp(`port ${port} is already in use`));
    await holder.stop();
  });
});
