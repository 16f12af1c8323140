/** The breaker on a hand-driven clock: opens on consecutive transient failures, probes once, closes or reopens. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../src/webhook/circuit-breaker.ts';

function breaker() {
  let now = 1000;
  const changes: string[] = [];
  const b = new CircuitBreaker({ threshold: 3, cooldownMs: 100, now: () => now, onChange: (s) => changes.push(s) });
  return { b, changes, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('opens after `threshold` consecutive transient failures, not before', () => {
    const { b, changes } = breaker();
    b.recordTransientFailure();
    b.recordTransientFailure();
    assert.equal(b.state, 'closed');
    b.recordTransientFailure();
    assert.equal(b.state, 'open');
    assert.equal(b.tryAcquire(), false);
    assert.deepEqual(changes, ['open']);
  });

  it('a healthy answer (2xx or a 4xx verdict) resets the count', () => {
    const { b } = breaker();
    b.recordTransientFailure();
    b.recordTransientFailure();
    b.recordHealthy();
    b.recordTransientFailure();
    b.recordTransientFailure();
    assert.equal(b.state, 'closed');
  });

  it('lets exactly one probe through after the cooldown; its success closes', () => {
    const { b, changes, advance } = breaker();
    for (let i = 0; i < 3; i++) b.recordTransientFailure();
    advance(99);
    assert.equal(b.tryAcquire(), false);
    advance(1);
    assert.equal(b.tryAcquire(), true);
    assert.equal(b.state, 'half_open');
    assert.equal(b.tryAcquire(), false, 'a second attempt waits for the probe');
    b.recordHealthy();
    assert.equal(b.state, 'closed');
    assert.equal(b.tryAcquire(), true);
    assert.deepEqual(changes, ['open', 'half_open', 'closed']);
  });

  it('a failed probe opens it again for another cooldown', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.recordTransientFailure();
    advance(100);
    assert.equal(b.tryAcquire(), true);
    b.recordTransientFailure();
    assert.equal(b.state, 'open');
    advance(50);
    assert.equal(b.tryAcquire(), false);
    advance(50);
    assert.equal(b.tryAcquire(), true);
  });

  it('release() frees the probe slot without a verdict', () => {
    const { b, advance } = breaker();
    for (let i = 0; i < 3; i++) b.recordTransientFailure();
    advance(100);
    assert.equal(b.tryAcquire(), true);
    b.release();
    assert.equal(b.state, 'half_open');
    assert.equal(b.tryAcquire(), true);
  });
});
