/**
 * `npm run bench`: the benchmark suite. The comparisons against prom-client
 * and the bare OpenTelemetry SDK are the performance issue's work; until
 * then this says so rather than printing numbers that measure nothing.
 */
console.log('genesis-telemetry bench: no benchmarks yet; the suite against prom-client and the bare SDK comes with the performance work.');
