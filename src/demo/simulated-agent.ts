/**
 * A simulated Genesis Meta-Agent. Each `step()` is one business creation and
 * whatever follows it: deployment, billing, health and revenue updates,
 * takedowns of older businesses, and the background noise of auth failures,
 * quota denials and memory traffic. Durations are drawn, not waited for, so a
 * step takes microseconds and every one of the 17 metrics moves.
 */
import {
  AUTH_FAILURE_REASONS,
  BUSINESS_TYPES,
  type BusinessType,
  type CreationStatus,
  DEPLOYMENT_TYPES,
  type TakedownStatus,
} from '../catalog/vocabulary.ts';
import type { GenesisMetrics } from '../instruments/genesis-metrics.ts';
import { createdEvent, type DashboardEvent, deployedEvent, deploymentFailedEvent, takenDownEvent } from '../webhook/lifecycle-events.ts';
import { BUSINESS_PROFILES } from './business-profiles.ts';
import { between, chance, logNormal, pick, type Random } from './random.ts';

/** Live businesses kept by the simulation; the oldest are taken down past it. */
const MAX_LIVE_BUSINESSES = 200;
const USERS = Array.from({ length: 40 }, (_, i) => `user-${String(i + 1).padStart(3, '0')}`);

export interface AgentTally {
  created: number;
  succeeded: number;
  failed: number;
  blocked: number;
  deployed: number;
  deploymentsFailed: number;
  takenDown: number;
  authFailures: number;
}

interface LiveBusiness {
  readonly id: string;
  readonly type: BusinessType;
  health: number;
  mrrUsd: number;
}

export class SimulatedAgent {
  readonly tally: AgentTally = {
    created: 0,
    succeeded: 0,
    failed: 0,
    blocked: 0,
    deployed: 0,
    deploymentsFailed: 0,
    takenDown: 0,
    authFailures: 0,
  };
  readonly #metrics: GenesisMetrics;
  readonly #random: Random;
  readonly #live: LiveBusiness[] = [];
  #nextId = 1;
  /** Where lifecycle events go (the dashboard notifier), if anywhere. */
  readonly #onEvent: (event: DashboardEvent) => void;

  constructor(metrics: GenesisMetrics, random: Random, onEvent: (event: DashboardEvent) => void = () => {}) {
    this.#metrics = metrics;
    this.#random = random;
    this.#onEvent = onEvent;
  }

  /** Simulates one business creation and the activity around it. */
  step(): void {
    const type = pick(this.#random, BUSINESS_TYPES);
    const status = this.#createBusiness(type);
    if (status === 'success') this.#deployAndBill(type);
    this.#tendLiveBusinesses();
    this.#backgroundNoise();
  }

  #createBusiness(type: BusinessType): CreationStatus {
    const profile = BUSINESS_PROFILES[type];
    const random = this.#random;
    const status: CreationStatus = chance(random, 0.04) ? 'blocked' : chance(random, profile.failureRate) ? 'failed' : 'success';
    const queries = between(random, 2, 5);
    for (let i = 0; i < queries; i++) this.#metrics.memoryOperation('query', chance(random, 0.02) ? 'failed' : 'success');
    if (status === 'blocked') {
      this.#metrics.safetyViolation();
      this.#metrics.businessCreated({ businessType: type, status, durationSeconds: logNormal(random, 2, 0.5) });
    } else {
      const durationSeconds = logNormal(random, status === 'failed' ? profile.medianSeconds * 0.6 : profile.medianSeconds, 0.45);
      this.#metrics.businessCreated({
        businessType: type,
        status,
        durationSeconds,
        taskCount: Math.max(1, Math.round(logNormal(random, profile.medianTasks, 0.35))),
        teamSize: between(random, ...profile.teamSize),
      });
      this.#metrics.memoryOperation('store', chance(random, 0.03) ? 'failed' : 'success');
    }
    this.tally.created += 1;
    this.tally[status === 'success' ? 'succeeded' : status] += 1;
    return status;
  }

  #deployAndBill(type: BusinessType): void {
    const random = this.#random;
    const succeeded = !chance(random, 0.08);
    this.#metrics.deploymentFinished({
      businessType: type,
      succeeded,
      deploymentType: chance(random, 0.85) ? 'production' : pick(random, DEPLOYMENT_TYPES),
      costUsd: Math.round(logNormal(random, 0.4, 0.6) * 100) / 100,
    });
    const id = `biz-${String(this.#nextId++).padStart(6, '0')}`;
    const info = { businessName: `Demo ${type} ${id}`, businessType: type };
    this.#onEvent(createdEvent(id, info));
    if (!succeeded) {
      this.#onEvent(deploymentFailedEvent(id, { ...info, error: 'simulated deployment failure' }));
      this.tally.deploymentsFailed += 1;
      return;
    }
    this.#onEvent(deployedEvent(id, { ...info, deploymentUrl: `https://${id}.example.com`, validationPassed: true }));
    this.tally.deployed += 1;
    const business: LiveBusiness = {
      id,
      type,
      health: 0.6 + random() * 0.4,
      mrrUsd: Math.round(logNormal(random, BUSINESS_PROFILES[type].medianMrrUsd, 0.5)),
    };
    this.#live.push(business);
    this.#metrics.revenueProjected({
      businessId: business.id,
      businessType: type,
      mrrUsd: business.mrrUsd,
      confidence: 0.4 + random() * 0.55,
    });
    this.#metrics.businessHealth({ businessId: business.id, businessType: type, score: business.health });
    this.#metrics.paymentIntent(chance(random, 0.06) ? 'failed' : 'success');
  }

  #tendLiveBusinesses(): void {
    const random = this.#random;
    for (let i = 0; i < Math.min(3, this.#live.length); i++) {
      const business = pick(random, this.#live);
      business.health = Math.min(1, Math.max(0, business.health + (random() - 0.55) * 0.1));
      // Now and then the health model overshoots, as a rounding bug would: the guard drops the value,
      // counts it in genesis_telemetry_dropped_measurements_total and says so once.
      const score = chance(random, 0.005) ? 1 + random() * 0.01 : business.health;
      this.#metrics.businessHealth({ businessId: business.id, businessType: business.type, score });
    }
    if (this.#live.length > MAX_LIVE_BUSINESSES || (this.#live.length > 0 && chance(random, 0.08))) {
      const business = this.#live.shift();
      const status: TakedownStatus = chance(random, 0.85) ? 'success' : 'partial';
      if (business !== undefined) {
        this.#metrics.businessTakenDown({ businessId: business.id, status });
        this.#onEvent(takenDownEvent(business.id, { status }));
      }
      this.tally.takenDown += 1;
    }
    // Sometimes the agent is asked to take down a business that is already gone.
    if (chance(random, 0.01)) this.#metrics.businessTakenDown({ status: 'not_found' });
  }

  #backgroundNoise(): void {
    const random = this.#random;
    if (chance(random, 0.3)) this.authFailure();
    if (chance(random, 0.15)) this.#metrics.quotaDenied(pick(random, USERS));
  }

  /** One refused request; also called in bursts to simulate an attack. */
  authFailure(): void {
    this.#metrics.authFailure(pick(this.#random, AUTH_FAILURE_REASONS));
    this.tally.authFailures += 1;
  }
}
