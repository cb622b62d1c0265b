/**
 * Checkpoint decisions and review results, recorded per run beside state.json:
 *   .claude/mm/runs/<run-id>/checkpoints.jsonl   one decision a line (appended)
 *   .claude/mm/runs/<run-id>/reviews/<stamp>-<seq>-<kind>.json   one file per review
 * Separate files (not state.json fields) so other writers of the run store never race
 * these, and `mm runs show` can list them as they are.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE, writeFileAtomic } from '../util/atomic-write.ts';
import { currentOrNewRunId, runsDir } from './state.ts';

export interface CheckpointRecord {
  at: string;
  checkpoint: string;
  mode: string;
  action: 'run' | 'ask' | 'skip';
  reason: string;
  command: string;
}

/** The current run's directory, creating the run (and CURRENT) when there is none. */
export function currentRunDir(projectRoot: string, env: NodeJS.ProcessEnv): string {
  const dir = join(runsDir(projectRoot), currentOrNewRunId(projectRoot, env));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function recordCheckpoint(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  record: Omit<CheckpointRecord, 'at'>,
): void {
  const dir = currentRunDir(projectRoot, env);
  appendFileSync(join(dir, 'checkpoints.jsonl'), `${JSON.stringify({ at: new Date().toISOString(), ...record })}\n`);
}

/** Writes one review result; returns its path. `kind` e.g. "plan", "diff", "debug", "consensus". */
export function recordReview(projectRoot: string, env: NodeJS.ProcessEnv, kind: string, result: unknown): string {
  const dir = join(currentRunDir(projectRoot, env), 'reviews');
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '$1Z');
  // A per-run sequence number keeps reviews written within one millisecond in order.
  const name = (n: number) => join(dir, `${stamp}-${String(n).padStart(4, '0')}-${kind}.json`);
  let n = existsSync(dir) ? readdirSync(dir).length + 1 : 1;
  while (existsSync(name(n))) n++;
  const path = name(n);
  writeFileAtomic(
    path,
    `${JSON.stringify({ kind, at: new Date().toISOString(), ...asObject(result) }, null, 2)}\n`,
    PRIVATE,
  );
  return path;
}

export function readCheckpoints(runDir: string): CheckpointRecord[] {
  const file = join(runDir, 'checkpoints.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as CheckpointRecord];
      } catch {
        return []; // a torn last line from a crash: skip it, keep the rest
      }
    });
}

export function listReviews(runDir: string): string[] {
  const dir = join(runDir, 'reviews');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { result: value };
}

/** Writes a file beside the run's reviews (e.g. the debug sandbox's patch); returns its path. */
export function recordArtifact(projectRoot: string, env: NodeJS.ProcessEnv, name: string, data: string): string {
  const path = join(currentRunDir(projectRoot, env), 'artifacts', name);
  writeFileAtomic(path, data, PRIVATE);
  return path;
}
