/**
 * The adapter's logging seam. Everything the adapter says goes through a
 * {@link Logger}, so an application can route it into its own logger and tests
 * can read it. The default writes one prefixed line to stderr.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const PREFIX = '[genesis-telemetry]';

/** Writes warnings and errors to stderr; info and debug only when `verbose`. */
export function consoleLogger({ verbose = false }: { verbose?: boolean } = {}): Logger {
  return {
    debug: (message) => {
      if (verbose) console.error(`${PREFIX} debug: ${message}`);
    },
    info: (message) => {
      if (verbose) console.error(`${PREFIX} ${message}`);
    },
    warn: (message) => console.error(`${PREFIX} warning: ${message}`),
    error: (message) => console.error(`${PREFIX} error: ${message}`),
  };
}

/** A logger that says nothing: for benchmarks and callers that count instead. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
