/**
 * What one attempt's result means, as a pure function: delivered, worth a
 * retry, a verdict not to retry, or the endpoint gone (410).
 */
import type { WebhookFailureReason } from '../catalog/webhook-metrics.ts';

export type AttemptVerdict =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'transient'; readonly reason: WebhookFailureReason }
  | { readonly kind: 'rejected'; readonly reason: WebhookFailureReason }
  | { readonly kind: 'gone'; readonly reason: 'http_410' };

/** Any 2xx is success (202 included). 408, 429 and 5xx are retried; 410 disables; other 3xx/4xx are final. */
export function classifyStatus(status: number): AttemptVerdict {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 408) return { kind: 'transient', reason: 'http_408' };
  if (status === 429) return { kind: 'transient', reason: 'http_429' };
  if (status >= 500) return { kind: 'transient', reason: 'http_5xx' };
  if (status === 410) return { kind: 'gone', reason: 'http_410' };
  if (status >= 300 && status < 400) return { kind: 'rejected', reason: 'redirect' };
  return { kind: 'rejected', reason: 'http_4xx' };
}

/** Why a request that got no response failed: its own deadline, or the network. */
export function classifyError(code: string | undefined): AttemptVerdict {
  return { kind: 'transient', reason: code === 'ETIMEDOUT' ? 'timeout' : 'network' };
}

/** The message a final failure logs: a 3xx means the configured URL is wrong. */
export function describeFailure(status: number | undefined, reason: WebhookFailureReason, location: string | undefined): string {
  if (reason === 'redirect') {
    const where = location === undefined ? '' : ` to ${location}`;
    return `HTTP ${status} redirect${where}: redirects are not followed; fix GENESIS_DASHBOARD_URL (or the "url" option) to the final address`;
  }
  if (reason === 'http_410') return 'HTTP 410 Gone: the dashboard says this endpoint no longer exists';
  return status === undefined ? reason : `HTTP ${status}`;
}
