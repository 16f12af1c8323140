/**
 * What kind of failure an outbox read or write met, from SQLite's result code
 * (node:sqlite puts it in `errcode`; the low byte is the primary code), so
 * that each kind is logged once, under its own key, in words an operator can
 * act on.
 */
export type OutboxFailureKind = 'busy' | 'full' | 'read_only' | 'io' | 'other';

const BY_PRIMARY_CODE: Readonly<Record<number, OutboxFailureKind>> = {
  5: 'busy', // SQLITE_BUSY: another connection holds the write lock
  6: 'busy', // SQLITE_LOCKED
  8: 'read_only', // SQLITE_READONLY
  10: 'io', // SQLITE_IOERR
  13: 'full', // SQLITE_FULL
};

const DESCRIPTION: Readonly<Record<OutboxFailureKind, string>> = {
  busy: 'the outbox is busy: another process (such as "genesis-telemetry outbox replay") holds its write lock',
  full: 'the disk holding the outbox is full',
  read_only: 'the outbox is read-only',
  io: 'the outbox met an I/O error',
  other: 'the outbox could not be written',
};

export interface OutboxFailure {
  readonly kind: OutboxFailureKind;
  /** What an operator reads: the kind in words, then the error's own message. */
  readonly description: string;
}

export function classifyOutboxFailure(error: unknown): OutboxFailure {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  const kind = typeof code === 'number' ? (BY_PRIMARY_CODE[code & 0xff] ?? 'other') : 'other';
  const message = error instanceof Error ? error.message : String(error);
  return { kind, description: `${DESCRIPTION[kind]} (${message})` };
}
