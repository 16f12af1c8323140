/**
 * The adapter's own metrics: how genesis-telemetry itself is doing. They live
 * under their own namespace so that they never mix with the agent's.
 */
import { BUSINESS_METRICS } from './business-metrics.ts';
import type { InstrumentSpec } from './types.ts';
import { DROP_REASONS } from './vocabulary.ts';
import { WEBHOOK_METRICS } from './webhook-metrics.ts';

export const ADAPTER_NAMESPACE = 'genesis_telemetry';

export const DROPPED_MEASUREMENTS = {
  name: 'genesis_telemetry_dropped_measurements',
  kind: 'counter',
  unit: '{measurement}',
  description: 'Measurements the adapter dropped, or recorded with an enum label mapped to "other", because the input was invalid.',
  labels: [
    {
      key: 'instrument',
      description: 'The catalog instrument that received the bad input.',
      values: [...BUSINESS_METRICS, ...WEBHOOK_METRICS].map((spec) => spec.name),
    },
    { key: 'reason', description: 'What was wrong with the input.', values: DROP_REASONS },
  ],
} as const satisfies InstrumentSpec;

export const ADAPTER_METRICS = [DROPPED_MEASUREMENTS] as const satisfies readonly InstrumentSpec[];
