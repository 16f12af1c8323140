#!/usr/bin/env node
/**
 * The genesis-telemetry command. Thin: it finds the verb and lets it parse
 * its flags and call the library.
 */
import { isGenesisConfigError } from '../config/config-error.ts';
import { VERSION } from '../version.ts';
import { COMMANDS } from './commands.ts';

function usage(): string {
  const verbs = Object.entries(COMMANDS).map(([name, command]) => {
    const [summary = '', ...options] = command.help.split('\n');
    return [`  ${name.padEnd(10)} ${summary}`, ...options.map((line) => `             ${line}`)].join('\n');
  });
  return `Usage: genesis-telemetry <command> [options]

Commands:
${verbs.join('\n')}
  help       show this text
  version    print the version
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return 0;
  }
  if (name === 'version' || name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    console.error(`genesis-telemetry: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Configuration and usage errors are the user's to fix: the message, no stack.
  const usageError = error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (isGenesisConfigError(error) || usageError) {
    console.error(`genesis-telemetry: ${(error as Error).message}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
