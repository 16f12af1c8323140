/**
 * The bounded label values of the Genesis Meta-Agent's metrics. Each set is
 * documented in the README (generated from the catalog); a value outside a set
 * is recorded as `other` and counted as a dropped-or-mapped measurement.
 */

export const BUSINESS_TYPES = [
  'ecommerce',
  'saas',
  'content_site',
  'marketplace',
  'api_service',
  'newsletter',
  'online_course',
  'mobile_app',
  'consulting',
  'community',
] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

/** `blocked`: the safety layer stopped the creation. */
export const CREATION_STATUSES = ['success', 'failed', 'blocked'] as const;
export type CreationStatus = (typeof CREATION_STATUSES)[number];

export const MEMORY_OPERATIONS = ['query', 'store'] as const;
export type MemoryOperation = (typeof MEMORY_OPERATIONS)[number];

export const SUCCESS_STATUSES = ['success', 'failed'] as const;
export type SuccessStatus = (typeof SUCCESS_STATUSES)[number];

export const LIFECYCLE_EVENT_TYPES = [
  'created',
  'creation_failed',
  'creation_blocked',
  'deployed',
  'deployment_failed',
  'billed',
  'billing_failed',
  'taken_down',
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

export const DEPLOYMENT_TYPES = ['production', 'preview', 'redeploy', 'rollback'] as const;
export type DeploymentType = (typeof DEPLOYMENT_TYPES)[number];

export const AUTH_FAILURE_REASONS = [
  'missing_token',
  'invalid_token',
  'expired_token',
  'revoked_token',
  'missing_context',
  'insufficient_scope',
] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

/** `attempt` counts every try; `success` and `failed` count outcomes. */
export const VERCEL_DEPLOYMENT_STATUSES = ['attempt', 'success', 'failed'] as const;
export type VercelDeploymentStatus = (typeof VERCEL_DEPLOYMENT_STATUSES)[number];

export const TAKEDOWN_STATUSES = ['success', 'partial', 'not_found'] as const;
export type TakedownStatus = (typeof TAKEDOWN_STATUSES)[number];

/** Why a measurement was dropped (or mapped to `other`) instead of recorded as given. */
export const DROP_REASONS = [
  'not_a_number',
  'not_finite',
  'negative',
  'out_of_range',
  'missing_label',
  'invalid_label_value',
  'unknown_label_value',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];
