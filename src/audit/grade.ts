/**
 * The grade: a score out of 100, lowered by each finding by its severity, and
 * a letter. Info findings cost nothing: they are facts, not faults. The same
 * function grades each area and the whole report.
 */
import { AREAS, type Area, type Finding, type Severity } from './finding.ts';

export type Letter = 'A' | 'B' | 'C' | 'D' | 'F';

export interface Grade {
  readonly letter: Letter;
  readonly score: number;
  readonly counts: Readonly<Record<Severity, number>>;
}

/** What one finding of each severity takes off the score. */
export const PENALTIES: Readonly<Record<Severity, number>> = { error: 20, warning: 5, info: 0 };

/** The lowest score of each letter, best first. */
const LETTERS: readonly [Letter, number][] = [
  ['A', 90],
  ['B', 75],
  ['C', 60],
  ['D', 40],
  ['F', 0],
];

export function grade(findings: readonly Finding[]): Grade {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const score = Math.max(0, 100 - counts.error * PENALTIES.error - counts.warning * PENALTIES.warning - counts.info * PENALTIES.info);
  const letter = LETTERS.find(([, min]) => score >= min)?.[0] ?? 'F';
  return { letter, score, counts };
}

export function gradeByArea(findings: readonly Finding[]): Record<Area, Grade> {
  return Object.fromEntries(AREAS.map((area) => [area, grade(findings.filter((f) => f.area === area))])) as Record<Area, Grade>;
}
