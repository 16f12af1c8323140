/**
 * bench/startup.ts's adapter child: the library's pipeline and endpoint, then
 * the URL on stdout. Loads the built package (dist/, as an installed copy
 * runs), which startup.ts builds first, so that type stripping of the sources
 * is not counted against the adapter.
 */
const sdk = (await import(new URL('../dist/sdk.js', import.meta.url).href)) as typeof import('../src/sdk.ts');
const api = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.ts');

const telemetry = await sdk.startTelemetry({ host: '127.0.0.1', port: 0, logger: api.silentLogger, env: {}, otlp: false });
console.log(telemetry.url);
// The parent kills this process once it has its scrape; keep it alive until then.
setInterval(() => {}, 1 << 30);
