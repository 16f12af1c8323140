/**
 * The anchor linter: `promtool check metrics` (Prometheus' own, from the real
 * servers' install), run on an exposition, and the audit rule that answers
 * each problem it can report.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { SERVERS_BIN } from './servers.ts';

export interface PromtoolResult {
  /** Each problem as promtool prints it: the metric, then the text. */
  readonly problems: { readonly metric: string; readonly text: string }[];
  /** Set when promtool could not parse the input (it lints nothing then). */
  readonly parseError?: string;
}

export function promtoolCheckMetrics(exposition: string): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(join(SERVERS_BIN, 'promtool'), ['check', 'metrics'], (error, _stdout, stderr) => {
      // Exit 0: clean; 3: lint problems; 1: the input does not parse.
      const code = error === null ? 0 : (error as { code?: number }).code;
      if (code !== 0 && code !== 1 && code !== 3) return reject(error);
      const lines = stderr.split('\n').filter((line) => line.trim() !== '');
      const parseError = lines.find((line) => line.startsWith('error while linting:'));
      const problems = lines
        .filter((line) => line !== parseError)
        .map((line) => {
          const space = line.indexOf(' ');
          return { metric: line.slice(0, space), text: line.slice(space + 1) };
        });
      resolve(parseError === undefined ? { problems } : { problems, parseError });
    });
    child.stdin?.end(exposition);
  });
}

/** promtool's problem texts (Prometheus 2.53) and the audit rule that reports the same problem. */
const RULE_OF_PROBLEM: readonly [RegExp, string][] = [
  [/^no help text$/, 'help-missing'],
  [/^use base unit /, 'base-unit'],
  [/^counter metrics should have "_total" suffix$/, 'counter-total'],
  [/^non-counter metrics should not have "_total" suffix$/, 'total-suffix'],
  [/should not have "_(bucket|count|sum)" suffix$/, 'reserved-suffix'],
  [/should not have "le" label$/, 'le-label'],
  [/should not have "quantile" label$/, 'quantile-label'],
  [/^metric name should not include type /, 'type-in-name'],
  [/^metric names should not contain ':'$/, 'colon'],
  [/should be written in 'snake_case'/, 'snake-case'],
  [/^metric names should not contain abbreviated units$/, 'abbreviated-unit'],
  [/^metric not unique$/, 'duplicate-series'],
  [/duplicate label names/, 'duplicate-label'],
];

/** The audit rule for a promtool problem text, or undefined when the audit has none (the agreement test then fails). */
export function ruleOfProblem(text: string): string | undefined {
  return RULE_OF_PROBLEM.find(([pattern]) => pattern.test(text))?.[1];
}
