/** The verbs of the genesis-telemetry command, in the order `help` lists them. Add a verb here. */
import { auditCommand } from './audit-command.ts';
import type { Command } from './command.ts';
import { demoCommand } from './demo-command.ts';
import { outboxCommand } from './outbox-command.ts';
import { receiveCommand } from './receive-command.ts';

export const COMMANDS: Readonly<Record<string, Command>> = {
  demo: demoCommand,
  audit: auditCommand,
  receive: receiveCommand,
  outbox: outboxCommand,
};
