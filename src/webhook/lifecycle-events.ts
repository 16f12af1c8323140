/**
 * The events the agent sends its dashboard, in the wire format receivers
 * already parse: `{ business_id, update_type, data, timestamp }`. One builder
 * per lifecycle event; a new event is one more three-line function (or a call
 * to `lifecycleEvent` with its own type).
 */

/** What the dashboard receives as the JSON body. */
export interface DashboardEvent {
  readonly business_id: string;
  readonly update_type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** ISO-8601, when the agent observed the event (not when it was delivered). */
  readonly timestamp: string;
}

/** Any lifecycle event: the builders below are shorthands for this. */
export function lifecycleEvent(
  updateType: string,
  businessId: string,
  data: Record<string, unknown> = {},
  at = new Date(),
): DashboardEvent {
  return { business_id: businessId, update_type: updateType, data, timestamp: at.toISOString() };
}

export interface BusinessInfo {
  readonly businessName: string;
  readonly businessType: string;
}

export function createdEvent(businessId: string, info: BusinessInfo, at?: Date): DashboardEvent {
  return lifecycleEvent('created', businessId, { business_name: info.businessName, business_type: info.businessType }, at);
}

export function deployedEvent(
  businessId: string,
  info: BusinessInfo & { readonly deploymentUrl: string; readonly validationPassed: boolean },
  at?: Date,
): DashboardEvent {
  return lifecycleEvent(
    'deployed',
    businessId,
    {
      deployment_url: info.deploymentUrl,
      validation_passed: info.validationPassed,
      business_name: info.businessName,
      business_type: info.businessType,
    },
    at,
  );
}

export function deploymentFailedEvent(businessId: string, info: BusinessInfo & { readonly error: string }, at?: Date): DashboardEvent {
  return lifecycleEvent(
    'deployment_failed',
    businessId,
    { error: info.error, business_name: info.businessName, business_type: info.businessType },
    at,
  );
}

export function billedEvent(businessId: string, info: { readonly amountUsd: number; readonly status: string }, at?: Date): DashboardEvent {
  return lifecycleEvent('billed', businessId, { amount_usd: info.amountUsd, status: info.status }, at);
}

export function takenDownEvent(businessId: string, info: { readonly status: string; readonly reason?: string }, at?: Date): DashboardEvent {
  return lifecycleEvent(
    'taken_down',
    businessId,
    { status: info.status, ...(info.reason === undefined ? {} : { reason: info.reason }) },
    at,
  );
}
