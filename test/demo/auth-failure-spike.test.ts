/**
 * `demo --auth-failures <n>` (or GENESIS_DEMO_AUTH_FAILURES): an attack on
 * top of the simulation, for trying the alerting rules. The setting is
 * validated like the others; the spike adds about n failures a second.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveDemoSettings } from '../../src/demo/demo-options.ts';
import { runDemo } from '../../src/demo/run-demo.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { waitFor } from '../support/wait.ts';

describe('the demo auth-failure spike', () => {
  it('is off by default, and taken from the flag before the environment', () => {
    assert.equal(resolveDemoSettings({}, {}).authFailures, 0);
    assert.equal(resolveDemoSettings({}, { GENESIS_DEMO_AUTH_FAILURES: '40' }).authFailures, 40);
    assert.equal(resolveDemoSettings({ 'auth-failures': '500' }, { GENESIS_DEMO_AUTH_FAILURES: '40' }).authFailures, 500);
  });

  it('rejects a value that is not a positive number, naming the flag or the variable', () => {
    assert.throws(() => resolveDemoSettings({ 'auth-failures': 'lots' }, {}), /--auth-failures must be a number greater than 0/);
    assert.throws(
      () => resolveDemoSettings({}, { GENESIS_DEMO_AUTH_FAILURES: '0' }),
      /GENESIS_DEMO_AUTH_FAILURES must be a number greater than 0/,
    );
    assert.throws(() => resolveDemoSettings({ 'auth-failures': '1e9' }, {}), /--auth-failures must be at most/);
  });

  it('adds the failures at about the rate asked, on top of the background noise', async () => {
    const settings = { ...resolveDemoSettings({ rate: '1', 'auth-failures': '500', quiet: true }, {}), port: 0 };
    const lines: string[] = [];
    const demo = await runDemo(settings, (line) => lines.push(line), { env: {}, logger: silentLogger });
    try {
      const started = Date.now();
      await waitFor('250 auth failures', () => demo.agent.tally.authFailures >= 250 || undefined, { timeoutMs: 20_000, intervalMs: 20 });
      // 250 failures at 500/s take half a second; the background noise alone (0.3/s at rate 1) would take minutes.
      assert.ok(Date.now() - started >= 400, `${Date.now() - started} ms`);
      assert.ok(lines.some((line) => line === 'simulating an attack: 500 extra auth failures/s'));
    } finally {
      await demo.stop();
    }
  });
});
