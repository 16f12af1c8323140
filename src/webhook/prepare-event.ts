/**
 * What notify() checks before it accepts an event, as a pure function: a
 * business_id that makes one bounded path segment, and a body that serialises
 * to JSON within the size limit. Anything else is the caller's bad input,
 * refused here (never sent, never kept): a 100 KB id would only earn a 431 or
 * a closed socket, counted as a network failure against the breaker, and a
 * BigInt or a cycle cannot be sent at all.
 */
import { eventsUrl } from './event-path.ts';

/** The longest business_id accepted, in UTF-8 bytes: an id, not a payload (it also lands in the URL and the outbox index). */
export const MAX_BUSINESS_ID_BYTES = 256;

/** With the u flag a well-formed pair is one code point above U+FFFF: only a lone half matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Why an event was refused; each is logged once, under its own key. */
export type RefusalReason = 'no-business-id' | 'business-id-too-long' | 'business-id-not-unicode' | 'unserialisable' | 'too-large';

export interface PreparedEvent {
  readonly businessId: string;
  readonly updateType: string;
  readonly url: string;
  /** The JSON body, exactly as it is signed and sent. */
  readonly body: string;
}

export type Preparation =
  | ({ readonly ok: true } & PreparedEvent)
  | { readonly ok: false; readonly reason: RefusalReason; readonly message: string };

function refuse(reason: RefusalReason, message: string): Preparation {
  return { ok: false, reason, message };
}

/** Never throws: a getter or toJSON of the caller's that throws is one more refusal. */
export function prepareEvent(event: unknown, baseUrl: string, maxEventBytes: number): Preparation {
  try {
    return prepare(event, baseUrl, maxEventBytes);
  } catch (error) {
    return refuse(
      'unserialisable',
      `an event that could not be read or serialised to JSON (${(error as Error)?.message ?? String(error)})`,
    );
  }
}

function prepare(event: unknown, baseUrl: string, maxEventBytes: number): Preparation {
  const businessId = (event as { business_id?: unknown } | null | undefined)?.business_id;
  if (typeof businessId !== 'string') return refuse('no-business-id', 'an event without a string business_id');
  // Before encodeURIComponent, which throws on a lone surrogate.
  if (LONE_SURROGATE.test(businessId))
    return refuse('business-id-not-unicode', 'a business_id that is not well-formed Unicode (a lone surrogate)');
  const idBytes = Buffer.byteLength(businessId, 'utf8');
  if (idBytes > MAX_BUSINESS_ID_BYTES) {
    return refuse('business-id-too-long', `a business_id of ${idBytes} bytes (the limit is ${MAX_BUSINESS_ID_BYTES} bytes of UTF-8)`);
  }
  const url = eventsUrl(baseUrl, businessId);
  if (url === undefined) return refuse('no-business-id', 'an event whose business_id is empty, "." or ".."');
  const body = JSON.stringify(event);
  // A toJSON of the caller's may return undefined (no JSON at all) or a bare value: the receiver expects an object.
  if (typeof body !== 'string' || !body.startsWith('{'))
    return refuse('unserialisable', 'an event that does not serialise to a JSON object');
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > maxEventBytes) {
    return refuse(
      'too-large',
      `an event of ${bytes} bytes of JSON (the limit is ${maxEventBytes}: GENESIS_DASHBOARD_MAX_EVENT_BYTES or the "maxEventBytes" option)`,
    );
  }
  const updateType = (event as { update_type?: unknown }).update_type;
  return { ok: true, businessId, updateType: String(updateType), url, body };
}
