/**
 * The value tokens of the text exposition format, read the way Prometheus'
 * own parser (client_golang's expfmt, which `promtool check metrics` runs)
 * reads them, so that the audit refuses what a scrape would refuse: Go's
 * ParseFloat without hex, underscores or out-of-range numbers; integer
 * timestamps; only the escapes the format defines.
 */

/** Go's ParseFloat in decimal: an optional sign, digits with an optional point, an optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Go's special values: Inf and Infinity with an optional sign, NaN without one, in any case. */
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const NAN = /^nan$/i;

/** A sample value or a bucket bound; throws with the reason on anything Prometheus would refuse. */
export function parseNumber(text: string): number {
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (NAN.test(text)) return Number.NaN;
  // Not Number(): it also reads hex, binary, octal and blanks, which Go refuses (`x 0x10` fails a scrape).
  if (!DECIMAL.test(text)) throw new Error(`"${text}" is not a number (Prometheus reads decimal floats, Inf and NaN)`);
  const value = Number(text);
  // Go's ParseFloat fails with ErrRange where JavaScript rounds to Infinity (1e400).
  if (!Number.isFinite(value)) throw new Error(`"${text}" is out of the range of a 64-bit float`);
  return value;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A timestamp of the classic format: whole milliseconds in an int64, as Go's ParseInt reads them (`1.5` and `1e3` fail). */
export function parseIntegerTimestamp(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new Error(`timestamp "${text}" is not a whole number of milliseconds`);
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) throw new Error(`timestamp "${text}" is out of the range of a 64-bit integer`);
  return Number(big);
}

/**
 * Reads the escapes of a label value (`\\`, `\"`, `\n`) or of HELP text (the
 * same three in Prometheus 2.53, though the format documents two): any other
 * backslash is an error, as in Prometheus, not a character kept as written.
 */
export function unescapeText(raw: string, what: string): string {
  return raw.replace(/\\(.?)/gs, (_, c: string) => {
    if (c === '\\' || c === '"') return c;
    if (c === 'n') return '\n';
    if (c === '') throw new Error(`${what} ends in a lone backslash`);
    throw new Error(`invalid escape sequence '\\${c}' in ${what} (only \\\\, \\" and \\n are defined)`);
  });
}
