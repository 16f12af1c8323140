/**
 * Whether an exposition parses at all, the audit against `promtool check
 * metrics` (Prometheus 2.53's expfmt, the parser a scrape runs): each input
 * below is run through both, and the audit must refuse what promtool refuses,
 * on the same line, and accept what it accepts. promtool's verdict is
 * recorded here too, so that a case that stops proving anything fails.
 *
 * A few inputs are refused by promtool and read by the audit on purpose
 * (DIVERGENCES): CRLF line ends and blanks after a sample, and OpenMetrics,
 * which promtool's classic parser does not read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SERIES_BUDGET } from '../../src/audit/audit-context.ts';
import { auditExposition } from '../../src/audit/run-audit.ts';
import { ExpositionParseError } from '../../src/exposition/parse-exposition.ts';
import { runCli } from '../support/processes.ts';
import { promtoolCheckMetrics } from '../support/promtool.ts';
import { ensureServers } from '../support/servers.ts';

const missing = await ensureServers();
const NO_CATALOG = { catalog: undefined, budgets: { default: DEFAULT_SERIES_BUDGET, perMetric: new Map<string, number>() } };

/** A clean gauge family with `lines` as its samples (lines 3 on). */
const gauge = (...lines: string[]) => ['# HELP app_jobs Jobs waiting.', '# TYPE app_jobs gauge', ...lines, ''].join('\n');
const histogram = (...lines: string[]) => ['# HELP app_wait_seconds Wait.', '# TYPE app_wait_seconds histogram', ...lines, ''].join('\n');

/** Inputs promtool refuses, and the line it names. */
const REFUSED: readonly (readonly [string, string, number])[] = [
  ['an unknown type', '# HELP app_jobs Jobs waiting.\n# TYPE app_jobs bogus\napp_jobs 1\n', 2],
  ['an OpenMetrics type in the classic format', '# HELP app_build Build.\n# TYPE app_build info\napp_build_info 1\n', 2],
  ['a hex value', gauge('app_jobs 0x10'), 3],
  ['a binary value', gauge('app_jobs 0b1'), 3],
  ['a value with an underscore', gauge('app_jobs 1_000'), 3],
  ['a value out of the float range', gauge('app_jobs 1e400'), 3],
  ['a signed NaN', gauge('app_jobs -NaN'), 3],
  ['a non-integer timestamp', gauge('app_jobs 1e3 1.5'), 3],
  ['a timestamp with an exponent', gauge('app_jobs 1 1e3'), 3],
  ['a timestamp out of the int64 range', gauge('app_jobs 1 99999999999999999999'), 3],
  ['an invalid escape in a label value', gauge('app_jobs{queue="x\\q"} 1'), 3],
  ['an invalid escape in HELP', '# HELP app_jobs Jobs\\twaiting.\n# TYPE app_jobs gauge\napp_jobs 1\n', 1],
  ['a second HELP line', '# HELP app_jobs Jobs waiting.\n# HELP app_jobs Again.\n# TYPE app_jobs gauge\napp_jobs 1\n', 2],
  ['a second TYPE line', '# HELP app_jobs Jobs waiting.\n# TYPE app_jobs gauge\n# TYPE app_jobs gauge\napp_jobs 1\n', 3],
  ['a TYPE line after the samples', '# HELP app_jobs Jobs waiting.\napp_jobs 1\n# TYPE app_jobs gauge\n', 3],
  ['an invalid metric name in HELP', '# HELP app-jobs Jobs waiting.\napp_jobs 1\n', 1],
  ['a comma before the first label', gauge('app_jobs{,queue="a"} 1'), 3],
  ['two commas between labels', gauge('app_jobs{queue="a",,zone="b"} 1'), 3],
  ['no comma between labels', gauge('app_jobs{queue="a"zone="b"} 1'), 3],
  ['a histogram bound that is not a number', histogram('app_wait_seconds_bucket{le="soon"} 1', 'app_wait_seconds_count 1'), 3],
  ['an exemplar in the classic format', gauge('app_jobs 1 # {trace_id="abc"} 1'), 3],
];

/** Inputs promtool accepts (some of them the audit refused before). */
const ACCEPTED: readonly (readonly [string, string])[] = [
  ['blanks before a sample and before a comment', '  # HELP app_jobs Jobs waiting.\n\t# TYPE app_jobs gauge\n  \tapp_jobs 1\n'],
  ['a blank between the name and its labels', gauge('app_jobs {queue="a"} 1')],
  ['blanks inside the braces and a trailing comma', gauge('app_jobs{ queue = "a" , zone="b", } 1')],
  ['tabs as separators', gauge('app_jobs\t1\t1700000000000')],
  [
    'Go float spellings',
    gauge('app_jobs{v="a"} Infinity', 'app_jobs{v="b"} .5', 'app_jobs{v="c"} 5.', 'app_jobs{v="d"} +1E3', 'app_jobs{v="e"} 1e-400'),
  ],
  ['signed and int64 timestamps', gauge('app_jobs{v="a"} 1 +5', 'app_jobs{v="b"} 1 -5', 'app_jobs{v="c"} 1 9223372036854775807')],
  ['a type in capitals', '# HELP app_jobs Jobs waiting.\n# TYPE app_jobs GAUGE\napp_jobs 1\n'],
  [
    'escaped quotes in HELP, and every label escape',
    '# HELP app_jobs Says \\"hi\\"\\\\.\n# TYPE app_jobs gauge\napp_jobs{q="\\\\\\"\\n"} 1\n',
  ],
  ['#HELP without a blank', '#HELP app_jobs Jobs waiting.\n# TYPE app_jobs gauge\napp_jobs 1\n'],
  ['an empty HELP, then one with text', '# HELP app_jobs\n# HELP app_jobs Jobs waiting.\n# TYPE app_jobs gauge\napp_jobs 1\n'],
  [
    'a family split by another',
    '# HELP app_jobs Jobs waiting.\n# TYPE app_jobs gauge\napp_jobs{q="a"} 1\napp_other 2\napp_jobs{q="b"} 3\n',
  ],
];

/** Refused by promtool, read by the audit on purpose; the line promtool names. */
const DIVERGENCES: readonly (readonly [string, string, number])[] = [
  ['CRLF line ends (a file saved on Windows)', gauge('app_jobs 1').replaceAll('\n', '\r\n'), 2],
  ['a blank after the value', gauge('app_jobs 1 '), 3],
  [
    'OpenMetrics: an exemplar and a float timestamp',
    '# HELP app_jobs Jobs.\n# TYPE app_jobs gauge\napp_jobs 1 1.7e9 # {t="a"} 1\n# EOF\n',
    3,
  ],
  ['OpenMetrics: an info type', '# HELP app_build Build.\n# TYPE app_build info\napp_build_info{v="1"} 1\n# EOF\n', 2],
];

function auditLine(text: string): number | 'parses' {
  try {
    auditExposition('-', text, NO_CATALOG);
    return 'parses';
  } catch (error) {
    if (error instanceof ExpositionParseError) return error.line;
    throw error;
  }
}

async function promtoolLine(text: string): Promise<number | 'parses'> {
  const { parseError } = await promtoolCheckMetrics(text);
  if (parseError === undefined) return 'parses';
  const line = /parsing error in line (\d+)/.exec(parseError)?.[1];
  assert.ok(line !== undefined, parseError);
  return Number(line);
}

describe('whether an exposition parses: the audit against promtool check metrics', { skip: missing }, () => {
  it('refuses what promtool refuses, naming the same line', async () => {
    for (const [what, text, line] of REFUSED) {
      assert.equal(await promtoolLine(text), line, `promtool on ${what}`);
      assert.equal(auditLine(text), line, `the audit on ${what}`);
    }
  });

  it('accepts what promtool accepts', async () => {
    for (const [what, text] of ACCEPTED) {
      assert.equal(await promtoolLine(text), 'parses', `promtool on ${what}`);
      assert.equal(auditLine(text), 'parses', `the audit on ${what}`);
    }
  });

  it('reads, on purpose, the few inputs promtool refuses that a scrape of a real server can hold', async () => {
    for (const [what, text, line] of DIVERGENCES) {
      assert.equal(await promtoolLine(text), line, `promtool on ${what}`);
      assert.equal(auditLine(text), 'parses', `the audit on ${what}`);
    }
  });
});

describe('an exposition that does not parse, on the command line', () => {
  it('exits 2 with the line and the reason, no stack and no report', async () => {
    for (const [what, text, line] of REFUSED) {
      const run = await runCli(['audit', '-', '--catalog', 'none'], { input: text });
      assert.equal(run.code, 2, `${what}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^genesis-telemetry audit: -: line ${line}: \\S.*\\n$`), what);
      assert.equal(run.stdout, '', what);
    }
  });
});
