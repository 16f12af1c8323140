/** The recording implementation of {@link GenesisMetrics} on a real Meter. */
import type { Meter } from '@opentelemetry/api';
import { SERIES_REMOVED } from '../catalog/adapter-metrics.ts';
import { BUSINESS_METRICS, type BusinessMetricName } from '../catalog/business-metrics.ts';
import { findInstrumentSpec } from '../catalog/catalog.ts';
import { type InstrumentSpec, OTHER_LABEL_VALUE } from '../catalog/types.ts';
import {
  type AuthFailureReason,
  BUSINESS_TYPES,
  type BusinessType,
  type CreationStatus,
  type DeploymentType,
  type LifecycleEventType,
  type MemoryOperation,
  type SuccessStatus,
  type TakedownStatus,
  type VercelDeploymentStatus,
} from '../catalog/vocabulary.ts';
import type { Logger } from '../logging/logger.ts';
import { idCap } from './business-series-options.ts';
import type { BusinessSeriesStore, BusinessUpdate } from './business-series-store.ts';
import { CatalogInstrument } from './catalog-instrument.ts';
import { DropAccounting } from './drop-accounting.ts';
import type {
  BusinessCreation,
  CreationRun,
  DeploymentOutcome,
  GenesisMetrics,
  HealthUpdate,
  RevenueProjection,
  Takedown,
} from './genesis-metrics.ts';
import { checkValue, resolveLabels } from './guard.ts';
import { observePortfolio } from './portfolio.ts';

const CREATION_EVENT: Readonly<Record<CreationStatus, LifecycleEventType>> = {
  success: 'created',
  failed: 'creation_failed',
  blocked: 'creation_blocked',
};

const MRR = findInstrumentSpec('genesis_meta_agent_revenue_projected_mrr') as InstrumentSpec;
const CONFIDENCE = findInstrumentSpec('genesis_meta_agent_revenue_confidence') as InstrumentSpec;
const HEALTH = findInstrumentSpec('genesis_meta_agent_business_health_score') as InstrumentSpec;
const KNOWN_TYPES: ReadonlySet<string> = new Set(BUSINESS_TYPES);

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
      (s) => [s.name, new CatalogInstrument(meter, s, drops, idCap(s, maxUserIds), businessSeries.cells)] as const,
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
