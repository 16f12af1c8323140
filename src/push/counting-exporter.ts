/**
 * Wraps a push exporter so that every failed export result is counted and
 * logged (through ExportFailureLog). The OpenTelemetry reader only hands a
 * failure to the global error handler, and its forceFlush()/shutdown() resolve
 * even when the export failed: this wrapper is where the failure surfaces.
 */
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ExportFailureLog } from './export-failure-log.ts';

export class CountingExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  readonly #failures: ExportFailureLog;
  /** Exports sent and not yet answered; each settles exactly once. */
  readonly #pending = new Set<{ settled: boolean }>();
  /** Set when shutdown begins: from then on every failure is logged. */
  final = false;

  constructor(inner: PushMetricExporter, failures: ExportFailureLog) {
    this.#inner = inner;
    this.#failures = failures;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const entry = { settled: false };
    this.#pending.add(entry);
    const settle = (result: ExportResult) => {
      if (entry.settled) return;
      entry.settled = true;
      this.#pending.delete(entry);
      if (result.code === ExportResultCode.SUCCESS) this.#failures.succeeded();
      else
        this.#failures.failed(
          result.error ?? new Error('the exporter reported a failure without an error'),
          this.final ? 'final' : 'periodic',
        );
      resultCallback(result);
    };
    try {
      this.#inner.export(metrics, settle);
    } catch (error) {
      settle({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /**
   * Counts the exports still unanswered as timed out (used when the shutdown
   * bound is reached); a late answer is then ignored, so nothing counts twice.
   */
  abandonPending(afterMillis: number): number {
    const abandoned = [...this.#pending];
    for (const entry of abandoned) {
      entry.settled = true;
      this.#failures.failed(Object.assign(new Error(`no answer within ${afterMillis} ms`), { name: 'TimeoutError' }), 'final');
    }
    this.#pending.clear();
    return abandoned.length;
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    // Both OTLP exporters implement it; the wrapper must not hide their choice.
    return this.#inner.selectAggregationTemporality?.(instrumentType) as AggregationTemporality;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.#inner.selectAggregation?.(instrumentType) as AggregationOption;
  }
}
