/**
 * The recording API with metrics turned off: every method returns at once.
 * Only `trackBusinessCreation` does work, because it must still run the
 * caller's function.
 */
import type { GenesisMetrics } from './genesis-metrics.ts';

const nothing = (): void => {};

const disabled: GenesisMetrics = {
  enabled: false,
  businessCreated: nothing,
  trackBusinessCreation: async (_businessType, create) => create({ taskCount: undefined, teamSize: undefined, block: nothing }),
  deploymentFinished: nothing,
  paymentIntent: nothing,
  businessTakenDown: nothing,
  revenueProjected: nothing,
  businessHealth: nothing,
  deploymentSuccessRate: nothing,
  safetyViolation: nothing,
  memoryOperation: nothing,
  lifecycleEvent: nothing,
  deploymentCost: nothing,
  authFailure: nothing,
  quotaDenied: nothing,
  vercelDeployment: nothing,
  stripePaymentIntent: nothing,
  takedown: nothing,
  instrument: () => undefined,
  businessSeries: undefined,
};

export const DISABLED_METRICS: GenesisMetrics = Object.freeze(disabled);
