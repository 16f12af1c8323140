/**
 * The typed recording API: instrumenting the agent reads like the domain.
 *
 * Built on any OpenTelemetry `Meter` (the library's pipeline, the
 * application's own SDK, or the global no-op), through `@opentelemetry/api`
 * only. No method throws into the caller; bad input is dropped and counted.
 */
import type { BusinessMetricName } from '../catalog/business-metrics.ts';
import type {
  AuthFailureReason,
  BusinessType,
  CreationStatus,
  DeploymentType,
  LifecycleEventType,
  MemoryOperation,
  SuccessStatus,
  TakedownStatus,
  VercelDeploymentStatus,
} from '../catalog/vocabulary.ts';
import type { BusinessSeriesStore } from './business-series-store.ts';
import type { CatalogInstrument } from './catalog-instrument.ts';

/** A finished business creation. */
export interface BusinessCreation {
  businessType: BusinessType;
  status: CreationStatus;
  durationSeconds: number;
  /** Tasks planned and run; omitted when unknown (e.g. blocked before planning). */
  taskCount?: number;
  /** Agents on the team; omitted when unknown. */
  teamSize?: number;
}

/** The handle a tracked creation receives, to report what it learns while it runs. */
export interface CreationRun {
  taskCount: number | undefined;
  teamSize: number | undefined;
  /** Marks the creation as stopped by the safety layer: it is recorded as `blocked`. */
  block(): void;
}

/** A finished deployment of one business. */
export interface DeploymentOutcome {
  businessType: BusinessType;
  succeeded: boolean;
  /** @default 'production' */
  deploymentType?: DeploymentType;
  /** What the deployment cost, in US dollars. */
  costUsd?: number;
}

/** A new revenue projection for one live business. */
export interface RevenueProjection {
  businessId: string;
  businessType: BusinessType;
  mrrUsd: number;
  /** 0..1 */
  confidence: number;
}

/** A new health score for one live business. */
export interface HealthUpdate {
  businessId: string;
  businessType: BusinessType;
  /** 0 (failing) .. 1 (healthy) */
  score: number;
}

/** A takedown: the business's per-business series leave the next scrape and export. */
export interface Takedown {
  /** Omit when the business is not known (e.g. already gone). */
  businessId?: string;
  status: TakedownStatus;
}

export interface GenesisMetrics {
  /** False when metrics are turned off: every method then does nothing. */
  readonly enabled: boolean;
  /** Records a finished creation: the counter, its duration, tasks, team size and lifecycle event. */
  businessCreated(creation: BusinessCreation): void;
  /** Times `create` and records it as success, failed (it threw) or blocked (it called `run.block()`). */
  trackBusinessCreation<T>(businessType: BusinessType, create: (run: CreationRun) => Promise<T> | T): Promise<T>;
  /** Records a finished deployment: attempt and outcome, lifecycle event, cost, and the type's success rate. */
  deploymentFinished(outcome: DeploymentOutcome): void;
  /** Records a Stripe payment intent and the matching lifecycle event. */
  paymentIntent(status: SuccessStatus): void;
  /** Records a takedown, removes the business's series at once and, unless it was already gone, the lifecycle event. */
  businessTakenDown(takedown: Takedown): void;
  /** Updates the per-business revenue gauges (and the portfolio MRR). */
  revenueProjected(projection: RevenueProjection): void;
  /** Updates the per-business health gauge (and the portfolio health bands). */
  businessHealth(update: HealthUpdate): void;
  deploymentSuccessRate(businessType: BusinessType, ratio: number): void;
  safetyViolation(): void;
  memoryOperation(operation: MemoryOperation, status: SuccessStatus): void;
  lifecycleEvent(eventType: LifecycleEventType): void;
  deploymentCost(deploymentType: DeploymentType, usd: number): void;
  authFailure(reason: AuthFailureReason): void;
  quotaDenied(userId: string): void;
  vercelDeployment(status: VercelDeploymentStatus): void;
  stripePaymentIntent(status: SuccessStatus): void;
  takedown(status: TakedownStatus): void;
  /** The guarded instrument behind one catalog metric, for measurements the typed methods do not cover. */
  instrument(name: BusinessMetricName): CatalogInstrument | undefined;
  /** The bounded store behind the per-business gauges; undefined when metrics are off. */
  readonly businessSeries: BusinessSeriesStore | undefined;
}
