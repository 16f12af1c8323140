/**
 * Unit words in metric names, as Prometheus' naming guide and its linter
 * (promtool check metrics) know them: base units, the units that should be
 * converted to one, the SI and binary prefixes, and discouraged abbreviations.
 */

/** Unit word -> the base unit it should be recorded in. A base unit maps to itself. */
const UNIT_BASES: Readonly<Record<string, string>> = {
  seconds: 'seconds',
  bytes: 'bytes',
  meters: 'meters',
  metres: 'metres',
  grams: 'grams',
  joules: 'joules',
  volts: 'volts',
  amperes: 'amperes',
  celsius: 'celsius',
  kelvin: 'kelvin',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  weeks: 'seconds',
  bits: 'bytes',
  inches: 'meters',
  yards: 'meters',
  miles: 'meters',
  calories: 'joules',
  pounds: 'grams',
  ounces: 'grams',
  fahrenheit: 'celsius',
  rankine: 'celsius',
  kelvins: 'kelvin',
};

const PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'deca',
  'hecto',
  'kilo',
  'kibi',
  'mega',
  'mebi',
  'mibi',
  'giga',
  'gibi',
  'tera',
  'tebi',
  'peta',
  'pebi',
];

/** Abbreviations that stand for a unit when they are a whole word of the name. */
export const UNIT_ABBREVIATIONS: ReadonlySet<string> = new Set([
  's',
  'ms',
  'us',
  'ns',
  'sec',
  'b',
  'kb',
  'mb',
  'gb',
  'tb',
  'pb',
  'm',
  'h',
  'd',
]);

/** The base unit a word of a name should be instead, or undefined when the word is no unit or already a base unit. */
export function nonBaseUnit(word: string): { unit: string; base: string } | undefined {
  const direct = UNIT_BASES[word];
  if (direct !== undefined) return direct === word ? undefined : { unit: word, base: direct };
  for (const prefix of PREFIXES) {
    const base = word.startsWith(prefix) ? UNIT_BASES[word.slice(prefix.length)] : undefined;
    if (base !== undefined) return { unit: word, base };
  }
  return undefined;
}
