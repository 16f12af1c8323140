import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpositionParseError, parseExposition } from '../../src/exposition/parse-exposition.ts';

describe('parseExposition', () => {
  it('groups a histogram whose _count and _sum come before its buckets (the OpenTelemetry order)', () => {
    const [latency] = parseExposition(
      [
        '# HELP x_seconds Latency.',
        '# UNIT x_seconds s',
        '# TYPE x_seconds histogram',
        'x_seconds_count{path="/a"} 2',
        'x_seconds_sum{path="/a"} 0.5',
        'x_seconds_bucket{path="/a",le="0.1"} 1',
        'x_seconds_bucket{path="/a",le="+Inf"} 2',
      ].join('\n'),
    );
    assert.equal(latency?.name, 'x_seconds');
    assert.equal(latency?.type, 'histogram');
    assert.equal(latency?.help, 'Latency.');
    assert.equal(latency?.unit, 's');
    assert.deepEqual(
      latency?.samples.map((s) => [s.name, s.labels, s.value]),
      [
        ['x_seconds_count', { path: '/a' }, 2],
        ['x_seconds_sum', { path: '/a' }, 0.5],
        ['x_seconds_bucket', { path: '/a', le: '0.1' }, 1],
        ['x_seconds_bucket', { path: '/a', le: '+Inf' }, 2],
      ],
    );
  });

  it('reads escaped label values, special values, timestamps and escaped HELP', () => {
    const [f] = parseExposition(
      [
        '# HELP y Says \\"hi\\"\\\\ and a\\nnewline',
        '# TYPE y gauge',
        'y{msg="a \\"quoted\\" \\\\ back\\nslash, {brace}"} +Inf 1700000000000',
        'y{msg="neg"} -Inf',
        'y{msg="nan"} NaN',
        'y{msg="exp",} 1.5e-3',
      ].join('\n'),
    );
    assert.equal(f?.help, 'Says "hi"\\ and a\nnewline');
    assert.deepEqual(f?.samples[0], {
      name: 'y',
      labels: { msg: 'a "quoted" \\ back\nslash, {brace}' },
      value: Number.POSITIVE_INFINITY,
      timestamp: 1_700_000_000_000,
    });
    assert.equal(f?.samples[1]?.value, Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(f?.samples[2]?.value));
    assert.equal(f?.samples[3]?.value, 0.0015);
  });

  it('accepts untyped samples, comments, empty HELP, and OpenMetrics # EOF and _created', () => {
    const families = parseExposition(
      [
        '# a comment',
        'loose_metric 3',
        '# HELP quiet ',
        '# TYPE quiet counter',
        'quiet_total 4',
        'quiet_created 1.7e9',
        '# TYPE s summary',
        's{quantile="0.5"} 1',
        's_sum 10',
        's_count 4',
        '# EOF',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      families.map((f) => [f.name, f.type, f.samples.length]),
      [
        ['loose_metric', 'untyped', 1],
        ['quiet', 'counter', 2],
        ['s', 'summary', 3],
      ],
    );
    assert.equal(families[1]?.help, '');
  });

  it('names the line of malformed input', () => {
    assert.throws(
      () => parseExposition('ok 1\nbad{x="1" 2\n'),
      (error: unknown) => error instanceof ExpositionParseError && error.line === 2,
    );
    assert.throws(() => parseExposition('nov alue'), /line 1: sample nov: "alue" is not a number/);
    assert.throws(() => parseExposition('a{x="1",x="2"} 1'), /label x appears twice/);
    assert.throws(() => parseExposition('a 1 2 3'), /line 1/);
  });

  it('reads OpenMetrics (an exposition ending in # EOF): exemplars skipped, timestamps in seconds, its own types', () => {
    const openMetrics = [
      '# HELP a Requests.',
      '# TYPE a counter',
      'a_total{path="/"} 3 1700000000.5 # {trace_id="4bf92f"} 1 1700000000.25',
      'a_created{path="/"} 1.7e9',
      '# HELP b Build.',
      '# TYPE b info',
      'b_info{version="1"} 1',
      '# EOF',
      '',
    ].join('\n');
    const [requests, build] = parseExposition(openMetrics);
    assert.deepEqual(requests?.samples, [
      { name: 'a_total', labels: { path: '/' }, value: 3, timestamp: 1_700_000_000.5 },
      { name: 'a_created', labels: { path: '/' }, value: 1.7e9 },
    ]);
    assert.equal(build?.type, 'info');
    // Without # EOF it is the classic format, which has none of the three (promtool refuses each).
    const classic = openMetrics.replace('# EOF\n', '');
    assert.throws(() => parseExposition(classic), /line 3: sample a_total has more than a value and a timestamp: exemplars/);
    assert.throws(() => parseExposition(classic.replace(/ # .*/, '')), /line 3: sample a_total: timestamp "1700000000\.5" is not a whole/);
    assert.throws(() => parseExposition(classic.replace(/a_total.*\n/, '')), /line 5: unknown metric type "info" for b/);
  });

  it('refuses what Prometheus refuses, with the line and the reason', () => {
    const gauge = (sample: string) => `# HELP x X.\n# TYPE x gauge\n${sample}\n`;
    for (const [input, message] of [
      ['# TYPE x bogus\nx 1', /line 1: unknown metric type "bogus" for x/],
      [gauge('x 0x10'), /line 3: sample x: "0x10" is not a number/],
      [gauge('x 1e3 1.5'), /line 3: sample x: timestamp "1\.5" is not a whole number of milliseconds/],
      [gauge('x{a="x\\q"} 1'), /line 3: invalid escape sequence '\\q' in the value of label a/],
      ['# HELP x X.\n# HELP x Y.\nx 1', /line 2: second HELP line for metric x/],
      ['# TYPE x gauge\n# TYPE x counter\nx 1', /line 2: second TYPE line for metric x/],
      ['x 1\n# TYPE x gauge', /line 2: TYPE line for metric x after its samples/],
      [gauge('x{a="1"b="2"} 1'), /line 3: expected , or } after the value of label a/],
    ] as const) {
      assert.throws(() => parseExposition(input), message, input);
    }
  });

  it('accepts what Prometheus accepts: blanks before a line and before the labels', () => {
    const [jobs] = parseExposition('  # HELP x X.\n# TYPE x gauge\n\t x {a="1", } 2\n');
    assert.deepEqual(jobs?.samples, [{ name: 'x', labels: { a: '1' }, value: 2 }]);
    assert.equal(jobs?.help, 'X.');
  });

  it('keeps a histogram named ..._count together: its count sample is ..._count_count (the demo, verbatim)', () => {
    const [tasks] = parseExposition(
      [
        '# HELP genesis_meta_agent_task_count Tasks the agent planned and ran to create one business.',
        '# UNIT genesis_meta_agent_task_count {task}',
        '# TYPE genesis_meta_agent_task_count histogram',
        'genesis_meta_agent_task_count_count{business_type="ecommerce"} 1208',
        'genesis_meta_agent_task_count_sum{business_type="ecommerce"} 30851',
        'genesis_meta_agent_task_count_bucket{business_type="ecommerce",le="1"} 0',
        'genesis_meta_agent_task_count_bucket{business_type="ecommerce",le="+Inf"} 1208',
      ].join('\n'),
    );
    assert.equal(tasks?.name, 'genesis_meta_agent_task_count');
    assert.equal(tasks?.unit, '{task}');
    assert.deepEqual(
      tasks?.samples.map((s) => s.name),
      [
        'genesis_meta_agent_task_count_count',
        'genesis_meta_agent_task_count_sum',
        ...Array(2).fill('genesis_meta_agent_task_count_bucket'),
      ],
    );
  });

  it("reads a summary's NaN quantiles beside its sum and count (Prometheus' own, verbatim)", () => {
    const [query] = parseExposition(
      [
        '# HELP prometheus_engine_query_duration_seconds Query timings',
        '# TYPE prometheus_engine_query_duration_seconds summary',
        'prometheus_engine_query_duration_seconds{slice="inner_eval",quantile="0.5"} NaN',
        'prometheus_engine_query_duration_seconds_sum{slice="inner_eval"} 0',
        'prometheus_engine_query_duration_seconds_count{slice="inner_eval"} 0',
      ].join('\n'),
    );
    assert.equal(query?.type, 'summary');
    assert.equal(query?.samples.length, 3);
    assert.ok(Number.isNaN(query?.samples[0]?.value));
    assert.deepEqual(query?.samples[0]?.labels, { slice: 'inner_eval', quantile: '0.5' });
  });

  it("with duplicateLabels: 'report', keeps the first value and names the repeated label instead of throwing", () => {
    const [visits] = parseExposition('app_visits_total{page="home",page="about",x="1"} 9', { duplicateLabels: 'report' });
    assert.deepEqual(visits?.samples[0], {
      name: 'app_visits_total',
      labels: { page: 'home', x: '1' },
      value: 9,
      duplicateLabelNames: ['page'],
    });
    assert.equal(
      Object.hasOwn(parseExposition('a{x="1"} 1', { duplicateLabels: 'report' })[0]?.samples[0] ?? {}, 'duplicateLabelNames'),
      false,
    );
  });
});
