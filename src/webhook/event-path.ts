/**
 * The URL of one business's events, with the id as exactly one path segment:
 * `/` `?` `#` `%` are percent-encoded, and the ids `.` and `..` (which any URL
 * parser would resolve as dot-segments, encoded or not) are refused.
 */
export function eventsUrl(baseUrl: string, businessId: string): string | undefined {
  if (businessId === '' || businessId === '.' || businessId === '..') return undefined;
  return `${baseUrl}/api/businesses/${encodeURIComponent(businessId)}/events`;
}
