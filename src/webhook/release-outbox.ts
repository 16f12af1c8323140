/**
 * Shutdown's last word with the outbox: what this process still holds becomes
 * waiting, for the next run. That is the rows on disk (one statement), and the
 * events a failing file left in memory, whose writes are retried until the
 * deadline (at least once). Never throws.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outbox } from './outbox.ts';
import { classifyOutboxFailure, type OutboxFailure } from './outbox-failure.ts';
import type { OutboxWriter } from './outbox-writer.ts';

/** Between two tries to write what a failing file left in memory. */
const RETRY_MS = 100;

export interface Release {
  /** Events now waiting on disk for the next run. */
  readonly released: number;
  /** Events that never reached the disk: lost with this process. */
  readonly lost: number;
}

export async function releaseToOutbox(
  outbox: Outbox,
  writer: OutboxWriter,
  deadlineAt: number,
  onFailure: (failure: OutboxFailure) => void,
): Promise<Release> {
  const keptLive = writer.releaseLive();
  let onDisk = 0;
  try {
    onDisk = outbox.releaseLive();
  } catch (error) {
    // The rows stay live under this process's token; closing marks it gone, so the next Outbox takes them back.
    onFailure(classifyOutboxFailure(error));
  }
  while (!writer.flush() && Date.now() < deadlineAt) await sleep(RETRY_MS, undefined, { ref: false });
  writer.stop();
  // A change still kept for a row on disk is no loss (the row is delivered again, at least once): only events are counted.
  const lost = writer.notOnDisk;
  return { released: onDisk + Math.max(0, keptLive - lost), lost };
}
