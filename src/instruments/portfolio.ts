/**
 * The portfolio aggregates (live businesses by type and health band, projected
 * MRR by type), computed from the business store in one pass, and reported
 * through observable gauges on any Meter. Every combination is reported on
 * every collection, zeros included: the SDK keeps the last value of a series
 * it is no longer told about, so a band that empties must be said to be 0.
 */
import type { Meter } from '@opentelemetry/api';
import { HEALTH_BANDS, type HealthBand, PORTFOLIO_METRICS } from '../catalog/portfolio-metrics.ts';
import { OTHER_LABEL_VALUE } from '../catalog/types.ts';
import { BUSINESS_TYPES } from '../catalog/vocabulary.ts';
import type { BusinessSeriesStore } from './business-series-store.ts';

const TYPES: readonly string[] = [...BUSINESS_TYPES, OTHER_LABEL_VALUE];

export function healthBand(score: number | undefined): HealthBand {
  if (score === undefined) return 'unknown';
  if (score < 0.25) return 'critical';
  if (score < 0.5) return 'poor';
  if (score < 0.75) return 'fair';
  return 'good';
}

export interface Portfolio {
  /** business type -> health band -> live businesses */
  readonly live: Map<string, Map<HealthBand, number>>;
  /** business type -> summed projected MRR */
  readonly mrrUsd: Map<string, number>;
}

export function summarisePortfolio(store: BusinessSeriesStore): Portfolio {
  const live = new Map(TYPES.map((type) => [type, new Map(HEALTH_BANDS.map((band) => [band, 0]))]));
  const mrrUsd = new Map(TYPES.map((type) => [type, 0]));
  store.sweep();
  for (const record of store.tracked()) {
    const bands = live.get(record.businessType) ?? live.get(OTHER_LABEL_VALUE);
    const band = healthBand(record.healthScore);
    bands?.set(band, (bands.get(band) ?? 0) + 1);
    if (record.mrrUsd !== undefined) {
      const type = mrrUsd.has(record.businessType) ? record.businessType : OTHER_LABEL_VALUE;
      mrrUsd.set(type, (mrrUsd.get(type) ?? 0) + record.mrrUsd);
    }
  }
  return { live, mrrUsd };
}

/** Registers the portfolio gauges on `meter`; one pass over the store per collection feeds both. */
export function observePortfolio(meter: Meter, store: BusinessSeriesStore): void {
  const [liveSpec, mrrSpec] = PORTFOLIO_METRICS;
  const live = meter.createObservableGauge(liveSpec.name, { description: liveSpec.description, unit: liveSpec.unit });
  const mrr = meter.createObservableGauge(mrrSpec.name, { description: mrrSpec.description, unit: mrrSpec.unit });
  meter.addBatchObservableCallback(
    (result) => {
      const portfolio = summarisePortfolio(store);
      for (const [businessType, bands] of portfolio.live) {
        for (const [health, count] of bands) result.observe(live, count, { business_type: businessType, health });
      }
      for (const [businessType, sum] of portfolio.mrrUsd) result.observe(mrr, sum, { business_type: businessType });
    },
    [live, mrr],
  );
}
