#!/usr/bin/env node
/**
 * The genesis-telemetry command. Thin: it parses flags and calls the library.
 */
import { parseArgs } from 'node:util';
import { isGenesisConfigError } from '../config/config-error.ts';
import { VERSION } from '../version.ts';
import { demoCommand } from './demo-command.ts';

const USAGE = `Usage: genesis-telemetry <command> [options]

Commands:
  demo       run a simulated Genesis Meta-Agent that serves live metrics
             --rate <n>       businesses per second (GENESIS_DEMO_RATE, default 2)
             --duration <s>   stop after s seconds (GENESIS_DEMO_DURATION, default: until Ctrl-C)
             --port <n>       endpoint port, 0 for any (OTEL_EXPORTER_PROMETHEUS_PORT, default 8001)
             --host <addr>    endpoint address (OTEL_EXPORTER_PROMETHEUS_HOST, default 127.0.0.1)
             --seed <n>       repeat a run exactly (GENESIS_DEMO_SEED)
             --quiet          no progress lines
  help       show this text
  version    print the version
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo':
      return demoCommand(
        parseArgs({
          args: rest,
          strict: true,
          options: {
            rate: { type: 'string' },
            duration: { type: 'string' },
            port: { type: 'string' },
            host: { type: 'string' },
            seed: { type: 'string' },
            quiet: { type: 'boolean' },
          },
        }).values,
      );
    case 'version':
    case '--version':
      console.log(VERSION);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`genesis-telemetry: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Configuration and usage errors are the user's to fix: the message, no stack.
  const usage = error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (isGenesisConfigError(error) || usage) {
    console.error(`genesis-telemetry: ${(error as Error).message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
