/** One verb of the genesis-telemetry command. */
export interface Command {
  /** The lines of help under the verb's name: what it does, then its options. */
  readonly help: string;
  /** What follows the verb in its usage line. @default '[options]' */
  readonly synopsis?: string;
  /** Runs the verb with the arguments after it; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
