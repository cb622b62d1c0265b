/**
 * The Stop hook's fast gate: everything that can say "nothing to do" without loading
 * the config schema, git or a provider. It runs on every stop of every Claude Code
 * session, so it imports only node:fs and node:path (node:child_process only when it runs
 * git). It may answer "maybe" wrongly (the full check then decides), never "nothing" wrongly.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SECURITY_CONCEPTS, SECURITY_DEPENDENCIES } from '../policy/security-concepts.ts';
import { lazyChildProcess } from '../util/lazy-builtins.ts';

export interface StopHookInput {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  hook_event_name?: string;
  stop_hook_active?: boolean;
}

export type GateResult =
  | { go: false; why: string; notice?: string }
  | { go: true; input: StopHookInput; cwd: string; configPath: string; configText: string };

const CONFIG = join('.claude', 'config', 'multi-model.toml');
/** The only checkpoint a Stop hook can enforce without extra input: the diff review. */
const AUTO_REVIEW = /pr_cross_review\s*=\s*["']auto["']/;

export function stopGate(stdin: string, env: NodeJS.ProcessEnv, fallbackCwd: string): GateResult {
  let input: StopHookInput;
  try {
    input = JSON.parse(stdin || '{}') as StopHookInput;
    // `null`, a number or an array is JSON but not hook input.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('not an object');
  } catch {
    return {
      go: false,
      why: 'stdin is not hook JSON',
      notice: 'mm hook stop: stdin was not Stop hook JSON; nothing checked (the stop was not blocked).',
    };
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
  return { go: true, input, cwd, configPath, configText: text };
}

function findUp(start: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * What the gate looks for: the first segment of every security concept term and every
 * security dependency, as a lower-case substring. The matcher in `mm check` matches whole
 * identifier segments of the same terms, so anything it can flag contains one of these:
 * the gate may say "maybe" too often, never "nothing" for a change `mm check` would flag.
 */
const GATE_SECURITY_STEMS = [
  ...new Set(
    [...SECURITY_CONCEPTS.flatMap((c) => c.terms), ...SECURITY_DEPENDENCIES].map((term) =>
      term.split(' ')[0]!.replace('*', '').toLowerCase(),
    ),
  ),
];
const GATE_FILES_CHANGED = 10;
const MAX_SCAN_BYTES = 512 * 1024;

/**
 * One cheap look at the change (a `git diff -U0` and the untracked list, in parallel):
 * "nothing" when it is certainly below the default review thresholds, "maybe" otherwise
 * (custom thresholds, no HEAD, many files, a security pattern anywhere in the diff).
 */
export async function quickChangeCheck(cwd: string, configText: string): Promise<'nothing' | 'maybe'> {
  if (/security_sensitive_patterns|files_changed_suggest_review/.test(configText)) return 'maybe';
  const [diff, untracked] = await Promise.all([
    run(['diff', '--no-ext-diff', '--no-textconv', '--no-color', '--no-renames', '-U0', 'HEAD'], cwd),
    run(['ls-files', '--others', '--exclude-standard', '-z', '--', ':(top)', ':(top,exclude).claude/mm'], cwd),
  ]);
  if (diff === null || untracked === null) return 'maybe';
  const newFiles = untracked.split('\0').filter(Boolean);
  const changed = (diff.match(/^diff --git /gm) ?? []).length + newFiles.length;
  if (changed === 0) return 'nothing';
  if (changed > GATE_FILES_CHANGED) return 'maybe';
  const sensitive = (text: string) => {
    const lower = text.toLowerCase();
    return GATE_SECURITY_STEMS.some((p) => lower.includes(p));
  };
  if (sensitive(diff)) return 'maybe';
  const top = newFiles.length ? await run(['rev-parse', '--show-toplevel'], cwd) : '';
  if (top === null) return 'maybe';
  for (const path of newFiles) {
    if (sensitive(path)) return 'maybe';
    try {
      const file = join(top.trim(), path);
      if (statSync(file).size > MAX_SCAN_BYTES || sensitive(readFileSync(file, 'utf8'))) return 'maybe';
    } catch {
      return 'maybe';
    }
  }
  return 'nothing';
}

function run(args: string[], cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = lazyChildProcess().spawn('git', ['-c', 'core.quotepath=off', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(out).toString('utf8') : null));
  });
}
