/**
 * The typed recording API: instrumenting the agent reads like the domain.
 *
 * Built on any OpenTelemetry `Meter` (the library's pipeline, the
 * application's own SDK, or the global no-op), through `@opentelemetry/api`
 * only. No method throws into the caller; bad input is dropped and counted.
 */
import type { Meter } from '@opentelemetry/api';
import { BUSINESS_METRICS, type BusinessMetricName } from '../catalog/business-metrics.ts';
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
import type { Logger } from '../logging/logger.ts';
import { CatalogInstrument } from './catalog-instrument.ts';
import { DropAccounting } from './drop-accounting.ts';

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
  /** Records a takedown and, unless the business was already gone, the lifecycle event. */
  businessTakenDown(status: TakedownStatus): void;
  revenueProjected(businessId: string, mrrUsd: number, confidence: number): void;
  businessHealth(businessId: string, score: number): void;
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
}

/** The recording implementation on a real Meter. */
export class RecordingGenesisMetrics implements GenesisMetrics {
  readonly enabled = true;
  readonly #instruments: ReadonlyMap<BusinessMetricName, CatalogInstrument>;
  readonly #deployments = new Map<BusinessType, { succeeded: number; total: number }>();

  constructor(meter: Meter, logger: Logger) {
    const drops = new DropAccounting(meter, logger);
    this.#instruments = new Map(BUSINESS_METRICS.map((spec) => [spec.name, new CatalogInstrument(meter, spec, drops)]));
    for (const instrument of this.#instruments.values()) instrument.initializeSeries();
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

  businessTakenDown(status: TakedownStatus): void {
    this.takedown(status);
    if (status !== 'not_found') this.lifecycleEvent('taken_down');
  }

  revenueProjected(businessId: string, mrrUsd: number, confidence: number): void {
    this.#get('genesis_meta_agent_revenue_projected_mrr').record(mrrUsd, { business_id: businessId });
    this.#get('genesis_meta_agent_revenue_confidence').record(confidence, { business_id: businessId });
  }

  businessHealth(businessId: string, score: number): void {
    this.#get('genesis_meta_agent_business_health_score').record(score, { business_id: businessId });
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
