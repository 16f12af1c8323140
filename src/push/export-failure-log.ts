/**
 * Counts failed pushes in genesis_telemetry_export_failures and logs them at
 * most once per interval (the first failure at once, then a summary of the
 * ones in between), plus one line when exports succeed again. Nothing here
 * throws: it runs in export callbacks.
 */
import type { Counter, Meter } from '@opentelemetry/api';
import { EXPORT_FAILURE_REASONS, EXPORT_FAILURES, type PushExporterName } from '../catalog/adapter-metrics.ts';
import { OTHER_LABEL_VALUE } from '../catalog/types.ts';
import type { Logger } from '../logging/logger.ts';
import { describeExportError, exportFailureReason } from './export-failure-reason.ts';

export interface ExportFailureLogOptions {
  readonly exporter: PushExporterName;
  /** Where the data goes, for the log (no credentials: a URL's user info is removed). */
  readonly target: string;
  readonly logger: Logger;
  /** Log at most one failure line per this many ms. */
  readonly logIntervalMillis: number;
  readonly now?: () => number;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.href;
  } catch {
    return '(invalid URL)';
  }
}

const WORDS = {
  periodic: { what: 'export failed', consequence: 'Cumulative data is sent again with the next export' },
  final: {
    what: 'the last export before shutdown failed',
    consequence: 'The values recorded since the last successful export did not reach the receiver',
  },
  single: { what: 'push failed', consequence: 'Nothing was stored; pushing again sends the cumulative values' },
} as const;

export class ExportFailureLog {
  readonly #options: ExportFailureLogOptions;
  readonly #now: () => number;
  #counter: Counter | undefined;
  #lastLoggedAt = Number.NEGATIVE_INFINITY;
  #unlogged = 0;
  #failingSince = 0;
  #finalLogged = false;

  constructor(options: ExportFailureLogOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Binds the counter once the MeterProvider exists; every reason of this exporter starts at 0 so rate() sees the first failure. */
  attach(meter: Meter): void {
    this.#counter = meter.createCounter(EXPORT_FAILURES.name, { description: EXPORT_FAILURES.description, unit: EXPORT_FAILURES.unit });
    for (const reason of [...EXPORT_FAILURE_REASONS, OTHER_LABEL_VALUE]) this.#counter.add(0, { exporter: this.#options.exporter, reason });
  }

  /**
   * One failed export. `periodic`: logged at most once per interval; `final`:
   * an export during shutdown, logged once (an export in flight and the last
   * flush can both fail, or be abandoned at the bound, in one shutdown);
   * `single`: a one-off push (Pushgateway) whose caller gets the result,
   * always logged. Every failure is counted.
   */
  failed(error: unknown, kind: 'periodic' | 'final' | 'single' = 'periodic'): void {
    const reason = exportFailureReason(error);
    this.#failingSince += 1;
    this.#counter?.add(1, { exporter: this.#options.exporter, reason });
    const now = this.#now();
    const quiet = kind === 'periodic' ? now - this.#lastLoggedAt < this.#options.logIntervalMillis : kind === 'final' && this.#finalLogged;
    if (quiet) {
      this.#unlogged += 1;
      return;
    }
    if (kind === 'final') this.#finalLogged = true;
    const others = this.#unlogged === 0 ? '' : ` (${this.#unlogged} more failed since the last message)`;
    const { what, consequence } = WORDS[kind];
    this.#options.logger.error(
      `${this.#options.exporter} to ${redactUrl(this.#options.target)}: ${what} (${reason}: ${describeExportError(error)})${others}. ` +
        `${consequence}; failures are counted in ${EXPORT_FAILURES.name}_total.`,
    );
    this.#lastLoggedAt = now;
    this.#unlogged = 0;
  }

  succeeded(): void {
    if (this.#failingSince === 0) return;
    this.#options.logger.warn(
      `${this.#options.exporter} to ${redactUrl(this.#options.target)}: exports succeed again after ${this.#failingSince} failed`,
    );
    this.#failingSince = 0;
    this.#unlogged = 0;
    this.#lastLoggedAt = Number.NEGATIVE_INFINITY;
  }
}
