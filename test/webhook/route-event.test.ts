/** Where a new event goes, for every state that matters. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RouteState, routeEvent } from '../../src/webhook/route-event.ts';

const calm: RouteState = {
  hasOutbox: true,
  closed: false,
  stopping: false,
  disabled: false,
  circuitOpen: false,
  queueFull: false,
  olderWaiting: false,
};

describe('routeEvent', () => {
  it('sends a calm event to memory, with or without an outbox', () => {
    assert.equal(routeEvent(calm), 'memory');
    assert.equal(routeEvent({ ...calm, hasOutbox: false }), 'memory');
  });

  it('with an outbox, keeps on disk whatever cannot go now', () => {
    for (const key of ['stopping', 'disabled', 'circuitOpen', 'queueFull', 'olderWaiting'] as const) {
      assert.equal(routeEvent({ ...calm, [key]: true }), 'outbox', key);
    }
  });

  it('without an outbox, holds events in memory while the circuit is open, and drops what cannot be kept', () => {
    const bare = { ...calm, hasOutbox: false };
    assert.equal(routeEvent({ ...bare, circuitOpen: true }), 'memory');
    for (const key of ['stopping', 'disabled', 'queueFull'] as const) assert.equal(routeEvent({ ...bare, [key]: true }), 'drop', key);
  });

  it('after shutdown, drops everything', () => {
    assert.equal(routeEvent({ ...calm, closed: true }), 'drop');
  });
});
