/**
 * Where the outbox lives by default: the user's state directory (XDG on
 * Linux), so it survives restarts and stays out of the working tree.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultOutboxDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support')
        : (env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'));
  return join(base, 'genesis-telemetry', 'dashboard-outbox');
}
