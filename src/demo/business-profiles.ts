/**
 * How each kind of business behaves in the simulation: how long it takes to
 * create, how big the job and the team are, how often it fails, what it earns.
 * Made up, but shaped like the real agent's work so dashboards look real.
 */
import type { BusinessType } from '../catalog/vocabulary.ts';

export interface BusinessProfile {
  /** Median seconds to create one. */
  readonly medianSeconds: number;
  readonly medianTasks: number;
  readonly teamSize: readonly [min: number, max: number];
  /** Probability that a creation fails outright. */
  readonly failureRate: number;
  /** Median projected monthly revenue in US dollars. */
  readonly medianMrrUsd: number;
}

export const BUSINESS_PROFILES: Readonly<Record<BusinessType, BusinessProfile>> = {
  ecommerce: { medianSeconds: 45, medianTasks: 24, teamSize: [3, 6], failureRate: 0.1, medianMrrUsd: 2400 },
  saas: { medianSeconds: 80, medianTasks: 38, teamSize: [4, 8], failureRate: 0.14, medianMrrUsd: 3900 },
  content_site: { medianSeconds: 18, medianTasks: 9, teamSize: [1, 3], failureRate: 0.04, medianMrrUsd: 450 },
  marketplace: { medianSeconds: 110, medianTasks: 45, teamSize: [5, 10], failureRate: 0.18, medianMrrUsd: 5200 },
  api_service: { medianSeconds: 60, medianTasks: 28, teamSize: [3, 6], failureRate: 0.12, medianMrrUsd: 3100 },
  newsletter: { medianSeconds: 12, medianTasks: 6, teamSize: [1, 2], failureRate: 0.03, medianMrrUsd: 300 },
  online_course: { medianSeconds: 35, medianTasks: 16, teamSize: [2, 4], failureRate: 0.06, medianMrrUsd: 1200 },
  mobile_app: { medianSeconds: 150, medianTasks: 52, teamSize: [5, 12], failureRate: 0.22, medianMrrUsd: 4100 },
  consulting: { medianSeconds: 20, medianTasks: 8, teamSize: [1, 3], failureRate: 0.05, medianMrrUsd: 1800 },
  community: { medianSeconds: 25, medianTasks: 11, teamSize: [2, 4], failureRate: 0.07, medianMrrUsd: 650 },
};
