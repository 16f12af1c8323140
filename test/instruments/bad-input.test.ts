/**
 * Recording never throws into the caller: each kind of bad input is dropped
 * (or mapped to "other"), leaves the series alone, moves the drop counter and
 * is logged once per instrument and reason.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createGenesisMetrics, type GenesisMetrics } from '../../src/index.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { type Collected, collect, ownMeterProvider, pointValue, type TestReader } from '../support/test-reader.ts';

const DROPS = 'genesis_telemetry_dropped_measurements';

// Untyped callers (plain JavaScript, JSON from elsewhere) can pass anything.
// biome-ignore lint/suspicious/noExplicitAny: the point of these tests is input the types forbid.
type Loose = any;

describe('bad input', () => {
  let provider: MeterProvider;
  let reader: TestReader;
  let metrics: GenesisMetrics;
  let logger: CapturedLogger;

  beforeEach(() => {
    const own = ownMeterProvider();
    ({ provider, reader } = own);
    logger = captureLogger();
    metrics = createGenesisMetrics({ meter: provider.getMeter('test'), logger, businessSeries: own.businessSeries });
  });

  /** Runs `act` twice and returns the collections before and after. */
  async function around(act: () => void): Promise<{ before: Collected; after: Collected }> {
    metrics.deploymentCost('production', 2);
    metrics.revenueProjected({ businessId: 'b-1', businessType: 'saas', mrrUsd: 100, confidence: 0.5 });
    const before = await collect(reader);
    assert.doesNotThrow(act);
    assert.doesNotThrow(act);
    return { before, after: await collect(reader) };
  }

  const COSTS = 'genesis_meta_agent_deployment_costs_usd';
  const CONFIDENCE = 'genesis_meta_agent_revenue_confidence';
  const HEALTH = 'genesis_meta_agent_business_health_score';
  const QUOTA = 'genesis_meta_agent_quota_denied';
  const LIVE = 'genesis_meta_agent_live_businesses';
  /** Every series of these instruments, as attributes and values: a new series shows as well as a changed one. */
  const seriesOf =
    (...names: string[]) =>
    (collected: Collected) =>
      names.map((name) => [name, collected.points.get(name) ?? []]);

  const cases: {
    what: string;
    act: (m: Loose) => void;
    instrument: string;
    reason: string;
    /** What the action would have changed had it not been dropped: it must read the same before and after. */
    unchanged: (collected: Collected) => unknown;
  }[] = [
    {
      what: 'a negative counter increment',
      act: (m) => m.deploymentCost('production', -5),
      instrument: COSTS,
      reason: 'negative',
      unchanged: seriesOf(COSTS),
    },
    {
      what: 'NaN into a counter (the SDK would keep NaN forever)',
      act: (m) => m.deploymentCost('production', Number.NaN),
      instrument: COSTS,
      reason: 'not_finite',
      unchanged: seriesOf(COSTS),
    },
    {
      what: 'Infinity into a counter',
      act: (m) => m.deploymentCost('production', Number.POSITIVE_INFINITY),
      instrument: COSTS,
      reason: 'not_finite',
      unchanged: seriesOf(COSTS),
    },
    {
      what: 'a non-number',
      act: (m) => m.deploymentCost('production', '3'),
      instrument: COSTS,
      reason: 'not_a_number',
      unchanged: seriesOf(COSTS),
    },
    {
      what: 'a ratio outside 0..1',
      act: (m) => m.revenueProjected({ businessId: 'b-1', businessType: 'saas', mrrUsd: 100, confidence: 7 }),
      instrument: CONFIDENCE,
      reason: 'out_of_range',
      unchanged: seriesOf(CONFIDENCE),
    },
    {
      // No health series under any business_id (none, "", "undefined"), and no business without an id in the aggregates.
      what: 'a missing label',
      act: (m) => m.businessHealth({ businessType: 'saas', score: 0.5 }),
      instrument: HEALTH,
      reason: 'missing_label',
      unchanged: seriesOf(HEALTH, LIVE),
    },
    {
      what: 'a label value that is not a string',
      act: (m) => m.quotaDenied({ id: 1 }),
      instrument: QUOTA,
      reason: 'invalid_label_value',
      unchanged: seriesOf(QUOTA),
    },
    {
      // Mapped, not dropped: the "other" series is the separate test below; the known one must not move.
      what: 'an unknown enum value (mapped to "other")',
      act: (m) => m.deploymentCost('moon_base', 1),
      instrument: COSTS,
      reason: 'unknown_label_value',
      unchanged: (collected) => pointValue(collected, COSTS, { deployment_type: 'production' }),
    },
  ];

  for (const { what, act, instrument, reason, unchanged } of cases) {
    it(`${what}: no throw, no series change, the drop counter moves, one log line`, async () => {
      const { before, after } = await around(() => act(metrics));
      assert.deepEqual(unchanged(after), unchanged(before), 'the series the action targets did not change or appear');
      assert.equal(pointValue(after, DROPS, { instrument, reason }), 2);
      const logged = logger.lines.filter((line) => line.includes(instrument));
      assert.equal(logged.length, 1, `logged once: ${logger.lines.join('\n')}`);
      assert.match(logged[0] ?? '', /^warn: /);
    });
  }

  it('records an unknown enum value under "other", never under the raw value', async () => {
    const loose = metrics as Loose;
    loose.authFailure('DROP TABLE');
    loose.businessCreated({ businessType: 'space_tourism', status: 'success', durationSeconds: 3 });
    const collected = await collect(reader);
    assert.equal(pointValue(collected, 'genesis_meta_agent_auth_failures', { reason: 'other' }), 1);
    assert.equal(pointValue(collected, 'genesis_meta_agent_businesses_created', { business_type: 'other', status: 'success' }), 1);
    const values = [...collected.points.values()].flat().flatMap((p) => Object.values(p.attributes));
    assert.ok(!values.includes('DROP TABLE') && !values.includes('space_tourism'));
  });

  it('never writes an id into the log', () => {
    (metrics as Loose).quotaDenied('x'.repeat(500));
    assert.ok(
      logger.lines.every((line) => !line.includes('xxxxxxxx')),
      logger.lines.join('\n'),
    );
    assert.match(logger.lines.join('\n'), /<id of 500 characters>/);
  });

  it('survives a missing argument object and a foreign Meter that throws', async () => {
    const loose = metrics as Loose;
    assert.doesNotThrow(() => loose.businessCreated(undefined));
    assert.doesNotThrow(() => loose.deploymentFinished(undefined));
    const throwing = new Proxy({} as Loose, {
      get: () => () => ({
        add: () => {
          throw new Error('boom');
        },
        record: () => {
          throw new Error('boom');
        },
      }),
    });
    const fragile = createGenesisMetrics({ meter: throwing, logger });
    assert.doesNotThrow(() => fragile.safetyViolation());
    assert.doesNotThrow(() => fragile.businessCreated({ businessType: 'saas', status: 'success', durationSeconds: 1 }));
  });
});
