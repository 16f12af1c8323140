/**
 * Opens an outbox folder at start, turning SQLite's or the file system's own
 * words ("unable to open database file", "file is not a database") into a
 * configuration error that names the setting to fix.
 */
import { GenesisConfigError } from '../config/config-error.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';

export interface OutboxSetting {
  /** The option, flag or variable that chose the folder. */
  readonly option: string;
  /** What to do about it, in the caller's words. */
  readonly fix: string;
}

export function openOutbox(dir: string, options: OutboxOptions, setting: OutboxSetting): Outbox {
  try {
    return new Outbox(dir, options);
  } catch (error) {
    throw new GenesisConfigError(
      setting.option,
      `the dashboard outbox cannot be opened in ${dir} (${(error as Error).message}): ${setting.fix}`,
      { cause: error },
    );
  }
}
