/**
 * Renders the per-business gauges straight from the bounded business store as
 * Prometheus text, exactly as the exporter would from the producer's data
 * (the parity test compares them), one family at a time, in chunks.
 */
import { BUSINESS_METRICS } from '../catalog/business-metrics.ts';
import { escapeLabelValue, familyHeader } from '../exposition/render-cells.ts';
import type { BusinessSeriesStore } from '../instruments/business-series-store.ts';
import { BUSINESS_GAUGES } from './business-metric-producer.ts';

/** `scopeLabels`: the exporter's otel_scope_* labels, already rendered (with a leading comma), or ''. */
export function* renderBusinessGauges(store: BusinessSeriesStore, scopeLabels: string, chunkSeries = 2000): Generator<string> {
  store.sweep();
  // A snapshot (at most the series cap): an update during the chunks re-inserts its record, which a live walk would meet twice.
  const records = [...store.records()];
  let chunk = '';
  let inChunk = 0;
  for (const [name, field] of BUSINESS_GAUGES) {
    const spec = BUSINESS_METRICS.find((s) => s.name === name);
    let wroteHeader = false;
    for (const record of records) {
      const value = record[field];
      if (value === undefined) continue;
      if (!wroteHeader) {
        chunk += familyHeader(name, spec?.description ?? '', spec?.unit ?? '', 'gauge');
        wroteHeader = true;
      }
      chunk += `${name}{business_id="${escapeLabelValue(record.id)}"${scopeLabels}} ${value}\n`;
      if (++inChunk >= chunkSeries) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
  }
  if (chunk !== '') yield chunk;
}
