#!/usr/bin/env node
/**
 * The genesis-telemetry command. Thin: it finds the verb and lets it parse
 * its flags and call the library.
 */
import { isGenesisConfigError } from '../config/config-error.ts';
import { VERSION } from '../version.ts';
import type { Command } from './command.ts';
import { COMMANDS } from './commands.ts';

const HELP_FLAGS = new Set(['--help', '-h']);

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

/** One verb's help, from the same text the overall usage lists: `genesis-telemetry <verb> --help` or `help <verb>`. */
function verbUsage(name: string, command: Command): string {
  const [summary = '', ...options] = command.help.split('\n');
  return `Usage: genesis-telemetry ${name} ${command.synopsis ?? '[options]'}

${summary}
${options.join('\n')}
`;
}

/** Own verbs only: `constructor` or `toString` are not commands. */
function findCommand(name: string | undefined): Command | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** A help flag among the verb's own arguments (not after `--`, where it would be an operand). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => HELP_FLAGS.has(arg));
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || HELP_FLAGS.has(name)) {
    const verb = name === 'help' ? findCommand(rest[0]) : undefined;
    console.log(verb === undefined ? usage() : verbUsage(rest[0] as string, verb));
    return 0;
  }
  if (name === 'version' || name === '--version') {
    console.log(VERSION);
    return 0;
  }
  const command = findCommand(name);
  if (command === undefined) {
    console.error(`genesis-telemetry: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    console.log(verbUsage(name, command));
    return 0;
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
