/** The retry arithmetic, exactly: full jitter, its cap, Retry-After in both forms, clamping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCeiling, fullJitterDelay, parseRetryAfter, retryDelay } from '../../src/webhook/backoff.ts';

const policy = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

describe('backoff', () => {
  it('doubles from 0.5 s and stops at the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffCeiling(n, policy)),
      [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000],
    );
    assert.equal(backoffCeiling(5000, policy), 30_000, 'a huge retry number stays finite and capped');
  });

  it('draws uniformly between 0 and the ceiling (full jitter)', () => {
    assert.equal(
      fullJitterDelay(3, policy, () => 0),
      0,
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0.5),
      1000,
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0.999_999),
      1999,
    );
    assert.equal(
      fullJitterDelay(10, policy, () => 0.5),
      15_000,
    );
  });

  it('keeps a misbehaving random source inside the window', () => {
    assert.equal(
      fullJitterDelay(1, policy, () => 7),
      500,
    );
    assert.equal(
      fullJitterDelay(1, policy, () => -1),
      0,
    );
  });

  it('honours Retry-After over the schedule, clamped to maxRetryAfterMs (got would cancel the retry)', () => {
    assert.equal(
      retryDelay(1, 3000, policy, () => 0.5),
      3000,
    );
    assert.equal(
      retryDelay(1, 120_000, policy, () => 0.5),
      60_000,
    );
    assert.equal(
      retryDelay(2, undefined, policy, () => 0.25),
      250,
    );
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter(['5', '9'], now), 5000);
  });

  it('ignores what is not a Retry-After', () => {
    const now = 0;
    for (const bad of [undefined, '', '1.5', '-3', 'soon', 'Xyz, 99 Foo 2025'])
      assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
  });
});
