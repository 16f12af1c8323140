/**
 * The one error the adapter throws: a configuration it cannot start with.
 * Thrown only at start, never while recording. The message names the option or
 * environment variable and says how to fix it.
 */
export class GenesisConfigError extends Error {
  readonly code = 'GENESIS_CONFIG';
  /** A brand that survives two copies of the package, where `instanceof` does not. */
  readonly isGenesisConfigError = true;
  /** The option or environment variable at fault. */
  readonly option: string;

  constructor(option: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GenesisConfigError';
    this.option = option;
  }
}

export function isGenesisConfigError(error: unknown): error is GenesisConfigError {
  return typeof error === 'object' && error !== null && (error as { isGenesisConfigError?: unknown }).isGenesisConfigError === true;
}
