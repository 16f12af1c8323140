/**
 * The in-process attempts of one event: send, and on a transient failure
 * wait (Retry-After, else full jitter) and send again, up to `maxRetries`
 * attempts. Each attempt is signed afresh by `send`. Ends with what became of
 * the event; the caller decides where it goes next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SendableEvent, SendOutcome } from './attempt-sender.ts';
import { type RandomSource, retryDelay } from './backoff.ts';
import type { NotifierSettings } from './notifier-options.ts';

export type LoopEnd =
  | { readonly kind: 'delivered' }
  /** Not delivered for now (attempts exhausted, circuit open, shutdown): keep it for later. */
  | { readonly kind: 'keep' | 'rejected' | 'gone'; readonly message: string };

export interface RetryLoopDeps {
  readonly send: (event: SendableEvent) => Promise<SendOutcome>;
  readonly settings: Pick<NotifierSettings, 'maxRetries' | 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>;
  readonly random: RandomSource;
  /** Aborted at shutdown: no further waits or attempts. */
  readonly stopping: AbortSignal;
}

export async function deliverWithRetries(item: SendableEvent & { attempts: number }, deps: RetryLoopDeps): Promise<LoopEnd> {
  for (;;) {
    const outcome = await deps.send(item);
    if (outcome.kind === 'delivered') return outcome;
    if (outcome.kind === 'skipped') return { kind: 'keep', message: 'the circuit is open' };
    item.attempts += 1;
    if (outcome.kind !== 'transient') return { kind: outcome.kind, message: outcome.message };
    if (item.attempts >= deps.settings.maxRetries || deps.stopping.aborted) return { kind: 'keep', message: outcome.message };
    const wait = retryDelay(item.attempts, outcome.retryAfterMs, deps.settings, deps.random);
    try {
      await sleep(wait, undefined, { signal: deps.stopping, ref: false });
    } catch {
      return { kind: 'keep', message: `shutdown during a retry wait (${outcome.message})` };
    }
  }
}
