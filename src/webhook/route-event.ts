/**
 * Where a newly accepted event goes, as a pure function: straight into the
 * in-memory queue, straight into the outbox's retry line, or (only without an
 * outbox, or after shutdown) nowhere, counted as dropped.
 */
export type Route = 'memory' | 'outbox' | 'drop';

export interface RouteState {
  readonly hasOutbox: boolean;
  /** shutdown() has finished. */
  readonly closed: boolean;
  /** shutdown() has begun. */
  readonly stopping: boolean;
  /** A 410 disabled the endpoint. */
  readonly disabled: boolean;
  /** The breaker is open and not yet due for a probe. */
  readonly circuitOpen: boolean;
  readonly queueFull: boolean;
  /** An older event of the same business waits in the outbox: this one must not overtake it. */
  readonly olderWaiting: boolean;
}

export function routeEvent(state: RouteState): Route {
  if (state.closed) return 'drop';
  if (state.hasOutbox) {
    const wait = state.stopping || state.disabled || state.circuitOpen || state.queueFull || state.olderWaiting;
    return wait ? 'outbox' : 'memory';
  }
  // Without an outbox, memory is all there is: an open circuit holds events there; the rest cannot be kept.
  return state.stopping || state.disabled || state.queueFull ? 'drop' : 'memory';
}
