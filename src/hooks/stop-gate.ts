/**
 * The Stop hook's fast gate: everything that can say "nothing to do" without loading
 * the config schema, git or a provider. It runs on every stop of every Claude Code
 * session, so it imports only node:fs and node:path. It may answer "maybe" wrongly
 * (the full check then decides), never "nothing" wrongly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface StopHookInput {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  stop_hook_active?: boolean;
}

export type GateResult =
  | { go: false; why: string; notice?: string }
  | { go: true; input: StopHookInput; cwd: string; configPath: string };

const CONFIG = join('.claude', 'config', 'multi-model.toml');
/** The only checkpoint a Stop hook can enforce without extra input: the diff review. */
const AUTO_REVIEW = /pr_cross_review\s*=\s*["']auto["']/;

export function stopGate(stdin: string, env: NodeJS.ProcessEnv, fallbackCwd: string): GateResult {
  let input: StopHookInput;
  try {
    input = JSON.parse(stdin || '{}') as StopHookInput;
  } catch {
    return { go: false, why: 'stdin is not hook JSON', notice: 'mm hook stop: stdin was not Stop hook JSON; nothing checked (the stop was not blocked).' };
  }
  // Claude is already continuing because of a stop hook: never block twice in a row.
  if (input.stop_hook_active === true) return { go: false, why: 'stop_hook_active' };
  const cwd = resolve(typeof input.cwd === 'string' && input.cwd ? input.cwd : fallbackCwd);
  const configPath = env.MM_CONFIG ? resolve(cwd, env.MM_CONFIG) : findUp(cwd);
  if (!configPath || !existsSync(configPath)) return { go: false, why: 'no config: plain Claude Code' };
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch {
    return { go: false, why: 'config unreadable' };
  }
  if (!AUTO_REVIEW.test(text)) return { go: false, why: 'checkpoints.pr_cross_review is not "auto"' };
  return { go: true, input, cwd, configPath };
}

function findUp(start: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
