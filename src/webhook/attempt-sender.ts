/**
 * Sends one attempt of one event: asks the breaker, signs afresh (a new
 * `webhook-timestamp` each attempt, the same `webhook-id`), posts, and turns
 * the result into a verdict, counting attempts and failures on the way.
 */
import type { WebhookFailureReason } from '../catalog/webhook-metrics.ts';
import { parseRetryAfter } from './backoff.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { classifyError, classifyStatus, describeFailure } from './classify.ts';
import type { DeliveryMetrics } from './delivery-metrics.ts';
import type { HttpAttempter } from './http-attempt.ts';
import type { NotifierSettings } from './notifier-options.ts';
import { signatureHeaders } from './signing.ts';

export interface SendableEvent {
  readonly id: string;
  readonly url: string;
  readonly body: string;
}

export type SendOutcome =
  | { readonly kind: 'delivered' }
  | {
      readonly kind: 'transient' | 'rejected' | 'gone';
      readonly reason: WebhookFailureReason;
      readonly message: string;
      readonly retryAfterMs?: number;
    }
  /** Not attempted: the circuit is open (or its single probe is taken), or the notifier is stopping. */
  | { readonly kind: 'skipped' };

export interface AttemptSenderDeps {
  readonly settings: NotifierSettings;
  readonly http: HttpAttempter;
  readonly breaker: CircuitBreaker;
  readonly metrics: DeliveryMetrics;
  readonly now: () => number;
  readonly signal: AbortSignal;
}

export async function sendAttempt(deps: AttemptSenderDeps, event: SendableEvent): Promise<SendOutcome> {
  if (deps.signal.aborted) return { kind: 'skipped' };
  if (!deps.breaker.tryAcquire()) {
    deps.metrics.failure('circuit_open');
    return { kind: 'skipped' };
  }
  deps.metrics.attempt();
  const timestamp = Math.floor(deps.now() / 1000);
  const headers = signatureHeaders(deps.settings.keys, event.id, timestamp, event.body);
  const result = await deps.http.post(event.url, event.body, headers, deps.signal);
  if (deps.signal.aborted) {
    // Shutdown cut the attempt short: no verdict either way; the event stays on disk.
    deps.breaker.release();
    return { kind: 'skipped' };
  }
  const verdict = result.status === undefined ? classifyError(result.code) : classifyStatus(result.status);
  if (verdict.kind === 'delivered') {
    deps.breaker.recordHealthy();
    return verdict;
  }
  deps.metrics.failure(verdict.reason);
  if (verdict.kind === 'transient') deps.breaker.recordTransientFailure();
  else deps.breaker.recordHealthy(); // a verdict about the request: the dashboard itself is up
  if (result.status === undefined) return { kind: verdict.kind, reason: verdict.reason, message: `${verdict.reason}: ${result.message}` };
  const retryAfterMs = parseRetryAfter(result.retryAfter, deps.now());
  return {
    kind: verdict.kind,
    reason: verdict.reason,
    message: describeFailure(result.status, verdict.reason, result.location),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
