/**
 * The typed recording API: instrumenting the agent reads like the domain.
 *
 * Built on any OpenTelemetry `Meter` (the library's pipeline, the
 * application's own SDK, or the global no-op), through `@opentelemetry/api`
 * only. No method throws into the caller; bad input is dropped and counted.
 */
import type { Meter } from '@opentelemetry/api';
import { SERIES_REMOVED } from '../catalog/adapter-metrics.ts';
import { BUSINESS_METRICS, type BusinessMetricName } from '../catalog/business-metrics.ts';
import { type InstrumentSpec, OTHER_LABEL_VALUE } from '../catalog/types.ts';
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
import { BUSINESS_TYPES } from '../catalog/vocabulary.ts';
import type { Logger } from '../logging/logger.ts';
import type { BusinessSeriesStore, BusinessUpdate } from './business-series-store.ts';
import { CatalogInstrument } from './catalog-instrument.ts';
import { DropAccounting } from './drop-accounting.ts';
import { checkValue, resolveLabels } from './guard.ts';
import { observePortfolio } from './portfolio.ts';

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

const CREATION_EVENT: Readonly<Record<CreationStatus, LifecycleEventType>> = {
  success: 'created',
  failed: 'creation_failed',
  blocked: 'creation_blocked',
};

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

const spec = (name: BusinessMetricName): InstrumentSpec => BUSINESS_METRICS.find((s) => s.name === name) as InstrumentSpec;
const MRR = spec('genesis_meta_agent_revenue_projected_mrr');
const CONFIDENCE = spec('genesis_meta_agent_revenue_confidence');
const HEALTH = spec('genesis_meta_agent_business_health_score');
const KNOWN_TYPES: ReadonlySet<string> = new Set(BUSINESS_TYPES);

/** The recording implementation on a real Meter. */
export class RecordingGenesisMetrics implements GenesisMetrics {
  readonly enabled = true;
  readonly #instruments: ReadonlyMap<BusinessMetricName, CatalogInstrument>;
  readonly #deployments = new Map<BusinessType, { succeeded: number; total: number }>();
  readonly #drops: DropAccounting;
  readonly businessSeries: BusinessSeriesStore;

  constructor(meter: Meter, logger: Logger, businessSeries: BusinessSeriesStore, maxUserIds: number) {
    const drops = new DropAccounting(meter, logger);
    this.#drops = drops;
    this.businessSeries = businessSeries;
    // Per-business gauges are not SDK instruments: a producer serves them from the bounded store.
    const instruments = BUSINESS_METRICS.filter((s) => !('perBusiness' in s)).map(
      (s) =>
        [s.name, new CatalogInstrument(meter, s, drops, s.name === 'genesis_meta_agent_quota_denied' ? maxUserIds : undefined)] as const,
    );
    this.#instruments = new Map(instruments);
    for (const instrument of this.#instruments.values()) instrument.initializeSeries();
    const removed = meter.createCounter(SERIES_REMOVED.name, { description: SERIES_REMOVED.description, unit: SERIES_REMOVED.unit });
    businessSeries.onRemoved((reason, count) => removed.add(count, { reason }));
    observePortfolio(meter, businessSeries);
  }

  instrument(name: BusinessMetricName): CatalogInstrument | undefined {
    return this.#instruments.get(name);
  }

  #get(name: BusinessMetricName): CatalogInstrument {
    // Every name is in the map by construction; the assertion only satisfies the type checker.
    return this.#instruments.get(name) as CatalogInstrument;
  }

  businessCreated(creation: BusinessCreation): void {
    const { businessType, status } = creation ?? {};
    this.#get('genesis_meta_agent_businesses_created').record(1, { business_type: businessType, status });
    this.#get('genesis_meta_agent_execution_duration_seconds').record(creation?.durationSeconds, { business_type: businessType });
    if (creation?.taskCount !== undefined)
      this.#get('genesis_meta_agent_task_count').record(creation.taskCount, { business_type: businessType });
    if (creation?.teamSize !== undefined)
      this.#get('genesis_meta_agent_team_size').record(creation.teamSize, { business_type: businessType });
    // An unknown status falls through to the guard, which maps it to "other" and counts it.
    this.lifecycleEvent(CREATION_EVENT[status] ?? (status as LifecycleEventType));
  }

  async trackBusinessCreation<T>(businessType: BusinessType, create: (run: CreationRun) => Promise<T> | T): Promise<T> {
    const started = performance.now();
    let blocked = false;
    const run: CreationRun = {
      taskCount: undefined,
      teamSize: undefined,
      block: () => {
        blocked = true;
      },
    };
    const finish = (status: CreationStatus) =>
      this.businessCreated({
        businessType,
        status: blocked ? 'blocked' : status,
        durationSeconds: (performance.now() - started) / 1000,
        ...(run.taskCount === undefined ? {} : { taskCount: run.taskCount }),
        ...(run.teamSize === undefined ? {} : { teamSize: run.teamSize }),
      });
    try {
      const result = await create(run);
      finish('success');
      return result;
    } catch (error) {
      finish('failed');
      throw error;
    }
  }

  deploymentFinished(outcome: DeploymentOutcome): void {
    const { businessType, succeeded, deploymentType = 'production', costUsd } = outcome ?? {};
    this.vercelDeployment('attempt');
    this.vercelDeployment(succeeded ? 'success' : 'failed');
    this.lifecycleEvent(succeeded ? 'deployed' : 'deployment_failed');
    if (costUsd !== undefined) this.deploymentCost(deploymentType, costUsd);
    // The success rate is kept per business type since start, from the outcomes seen here.
    const tally = this.#deployments.get(businessType) ?? { succeeded: 0, total: 0 };
    tally.total += 1;
    if (succeeded) tally.succeeded += 1;
    if (!this.#deployments.has(businessType) && this.#deployments.size < 64) this.#deployments.set(businessType, tally);
    this.deploymentSuccessRate(businessType, tally.succeeded / tally.total);
  }

  paymentIntent(status: SuccessStatus): void {
    this.stripePaymentIntent(status);
    this.lifecycleEvent(status === 'success' ? 'billed' : 'billing_failed');
  }

  businessTakenDown(takedown: Takedown): void {
    const { businessId, status } = takedown ?? {};
    try {
      if (typeof businessId === 'string') this.businessSeries.remove(businessId);
    } catch {
      // The store never throws; the guard is for the caller's sake all the same.
    }
    this.takedown(status);
    if (status !== 'not_found') this.lifecycleEvent('taken_down');
  }

  revenueProjected(projection: RevenueProjection): void {
    const { businessId, businessType, mrrUsd, confidence } = projection ?? {};
    this.#updateBusiness(businessId, businessType, [
      [MRR, mrrUsd, 'mrrUsd'],
      [CONFIDENCE, confidence, 'confidence'],
    ]);
  }

  businessHealth(update: HealthUpdate): void {
    const { businessId, businessType, score } = update ?? {};
    this.#updateBusiness(businessId, businessType, [[HEALTH, score, 'healthScore']]);
  }

  /** Validates like every instrument (the same drop accounting), then writes the store. */
  #updateBusiness(businessId: unknown, businessType: unknown, values: [InstrumentSpec, unknown, keyof BusinessUpdate][]): void {
    try {
      const update: BusinessUpdate = {};
      for (const [instrument, value, field] of values) {
        const valueProblem = checkValue(instrument, value);
        const idProblem = labelProblem(instrument, businessId);
        // An id is never written to the log: it may name a customer.
        if (valueProblem !== undefined) this.#drops.count(instrument.name, valueProblem, `value ${String(value)}`);
        else if (idProblem !== undefined) this.#drops.count(instrument.name, idProblem, `business_id of type ${typeof businessId}`);
        else update[field] = value as number;
      }
      if (Object.keys(update).length === 0) return;
      let type = typeof businessType === 'string' ? businessType : '';
      if (!KNOWN_TYPES.has(type)) {
        this.#drops.count(values[0]?.[0].name ?? MRR.name, 'unknown_label_value', `business_type ${JSON.stringify(businessType)}`);
        type = OTHER_LABEL_VALUE;
      }
      this.businessSeries.update(businessId as string, type, update);
    } catch {
      // As in CatalogInstrument.record(): nothing reaches the caller.
    }
  }

  deploymentSuccessRate(businessType: BusinessType, ratio: number): void {
    this.#get('genesis_meta_agent_deployment_success_rate').record(ratio, { business_type: businessType });
  }

  safetyViolation(): void {
    this.#get('genesis_meta_agent_safety_violations').record(1);
  }

  memoryOperation(operation: MemoryOperation, status: SuccessStatus): void {
    this.#get('genesis_meta_agent_memory_operations').record(1, { operation, status });
  }

  lifecycleEvent(eventType: LifecycleEventType): void {
    this.#get('genesis_meta_agent_lifecycle_events').record(1, { event_type: eventType });
  }

  deploymentCost(deploymentType: DeploymentType, usd: number): void {
    this.#get('genesis_meta_agent_deployment_costs_usd').record(usd, { deployment_type: deploymentType });
  }

  authFailure(reason: AuthFailureReason): void {
    this.#get('genesis_meta_agent_auth_failures').record(1, { reason });
  }

  quotaDenied(userId: string): void {
    this.#get('genesis_meta_agent_quota_denied').record(1, { user_id: userId });
  }

  vercelDeployment(status: VercelDeploymentStatus): void {
    this.#get('genesis_meta_agent_vercel_deployments').record(1, { status });
  }

  stripePaymentIntent(status: SuccessStatus): void {
    this.#get('genesis_meta_agent_stripe_payment_intents').record(1, { status });
  }

  takedown(status: TakedownStatus): void {
    this.#get('genesis_meta_agent_takedowns').record(1, { status });
  }
}

function labelProblem(instrument: InstrumentSpec, businessId: unknown) {
  const resolved = resolveLabels(instrument, { business_id: businessId });
  return typeof resolved === 'string' ? resolved : undefined;
}
