/**
 * Runs planned calls as a stored run: inputs/calls.json before, outputs/results.json
 * (the published shape), outputs/<label>.md per answer and outputs/attempts.json after.
 * `mm runs resume` re-runs only the calls whose stored result is not ok.
 */
import type { Config } from '../../config/schema.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { Registry } from '../../registry/registry.ts';
import { createRun, readRunJson, runFilePath, updateRun, writeRunFile } from '../../runs/store.ts';
import { MmError } from '../../util/errors.ts';
import { tryRecord } from '../../util/record-failures.ts';
import { guardSecrets } from '../../secrets/guard.ts';
import { extractCandidate } from './materialize.ts';
import { providerKeyOf, runFanout, type CallRecord, type ProgressEvent } from './run.ts';
import { summarize, type FanoutOutput, type FanoutResult, type PlannedCall } from './types.ts';

export interface ExecuteOptions {
  invoke: InvokeFn;
  ctx: InvokeContext;
  config: Config;
  registry: Registry;
  cwd: string;
  root: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onProgress?: (e: ProgressEvent) => void;
}

export interface StoredFanout extends FanoutOutput {
  runId: string;
  /** The records of the calls made this time. */
  records: CallRecord[];
  /** One record per call, in call order: this time's, else the stored one (kept results). */
  allRecords: CallRecord[];
}

/** Per-provider concurrency from [fanout]. @public (bench/fanout.mjs loads it through tsx, out of knip's sight) */
export function limitsFrom(config: Config): (provider: string) => number {
  return (provider) => config.fanout.per_provider[provider] ?? config.fanout.max_concurrent_per_provider;
}

/** The calls of one run (its checkpoint), limited per provider as the config says; in `cwd` (default opts.cwd). */
export function runCalls(calls: PlannedCall[], opts: ExecuteOptions, runId: string, cwd = opts.cwd) {
  return runFanout(calls, {
    invoke: opts.invoke,
    ctx: opts.ctx,
    cwd,
    providerOf: providerKeyOf(opts.registry),
    limitFor: limitsFrom(opts.config),
    timeoutMs: opts.timeoutMs,
    checkpoint: runId,
    onProgress: opts.onProgress,
  });
}

export async function executeAsRun(
  kind: string,
  calls: PlannedCall[],
  opts: ExecuteOptions,
  summary: string,
  extraInputs: Record<string, unknown> = {},
): Promise<StoredFanout> {
  // Stored as sent: the guard's redactions applied (a refusal throws here, before any call).
  const stored = calls.map((c) => ({
    ...c,
    prompt: guardSecrets({ prompt: c.prompt, cwd: opts.cwd }, opts.config.secrets).prompt,
  }));
  const run = createRun(opts.root, kind, { env: opts.env, summary });
  writeRunFile(opts.root, run.run_id, 'inputs/calls.json', { kind, calls: stored, ...extraInputs });
  return finish(
    run.run_id,
    calls,
    calls.map(() => null),
    opts,
    summary,
  );
}

/** Re-runs the calls of a stored fan-out whose result is missing or failed. */
export async function resumeRun(runId: string, opts: ExecuteOptions): Promise<StoredFanout & { rerun: number }> {
  const input = readRunJson<{ kind: string; calls: PlannedCall[] }>(opts.root, runId, 'inputs/calls.json');
  if (!input?.calls)
    throw new MmError('input', `run ${runId} has no inputs/calls.json: only fan-out runs can be resumed`);
  const previous = readRunJson<FanoutOutput>(opts.root, runId, 'outputs/results.json');
  const kept = input.calls.map((c) => previous?.results.find((r) => r.label === c.label && r.ok) ?? null);
  const out = await finish(runId, input.calls, kept, opts, `${input.kind} (resumed)`);
  return { ...out, rerun: kept.filter((k) => k === null).length };
}

/** The calls a resume would make (for the cost estimate before it). */
export function pendingCalls(runId: string, root: string): PlannedCall[] {
  const input = readRunJson<{ calls: PlannedCall[] }>(root, runId, 'inputs/calls.json');
  if (!input?.calls)
    throw new MmError('input', `run ${runId} has no inputs/calls.json: only fan-out runs can be resumed`);
  const previous = readRunJson<FanoutOutput>(root, runId, 'outputs/results.json');
  return input.calls.filter((c) => !previous?.results.some((r) => r.label === c.label && r.ok));
}

async function finish(
  runId: string,
  calls: PlannedCall[],
  kept: Array<FanoutResult | null>,
  opts: ExecuteOptions,
  summary: string,
): Promise<StoredFanout> {
  const todo = calls.filter((_, i) => kept[i] === null);
  const fresh = await runCalls(todo, opts, runId);
  let next = 0;
  const results = kept.map((k) => k ?? fresh.results[next++]!);
  const out = summarize(results);
  // The answers are paid for: a run store that cannot be written must not lose them.
  const store = (name: string, data: string | object) =>
    tryRecord(`${name} of run ${runId}`, () => writeRunFile(opts.root, runId, name, data));
  store('outputs/results.json', out);
  let previousRecords: CallRecord[] = [];
  try {
    previousRecords = readRunJson<CallRecord[]>(opts.root, runId, 'outputs/attempts.json') ?? [];
  } catch {
    // unreadable: this time's records stand alone
  }
  const allRecords = calls.map(
    (c) =>
      fresh.records.find((r) => r.label === c.label) ??
      previousRecords.find((r) => r.label === c.label) ?? { label: c.label, attempts: [] },
  );
  store('outputs/attempts.json', allRecords);
  for (const r of fresh.results) if (r.ok) store(answerFile(r.label), r.text);
  tryRecord(`run.json of run ${runId}`, () =>
    updateRun(opts.root, runId, {
      status: out.summary.failed === 0 ? 'done' : out.summary.succeeded === 0 ? 'failed' : 'done',
      summary: `${summary}: ${out.summary.succeeded}/${out.summary.total} ok`,
    }),
  );
  return { ...out, runId, records: fresh.records, allRecords };
}

export interface Materialized {
  label: string;
  kind: 'patch' | 'files' | 'none';
  /** Run-store path for `mm referee --a/--b`, or why there is none. */
  path?: string;
  reason?: string;
}

/** Writes each ok answer as a referee candidate under outputs/candidates/. */
export function materialize(root: string, runId: string, results: FanoutResult[]): Materialized[] {
  return results
    .filter((r): r is Extract<FanoutResult, { ok: true }> => r.ok)
    .map((r) => {
      const c = extractCandidate(r.text);
      const name = safeName(r.label);
      if (c.kind === 'patch')
        return {
          label: r.label,
          kind: 'patch',
          path: writeRunFile(root, runId, `outputs/candidates/${name}.patch`, c.patch),
        };
      if (c.kind === 'files') {
        for (const f of c.files) writeRunFile(root, runId, `outputs/candidates/${name}/${f.path}`, f.content);
        return { label: r.label, kind: 'files', path: runFilePath(root, runId, `outputs/candidates/${name}`) };
      }
      return { label: r.label, kind: 'none', reason: c.reason };
    });
}

const safeName = (label: string) => label.replace(/[^\w.-]/g, '_');

/** Where a call's answer is stored in its run (labels may hold characters a file name cannot). */
export const answerFile = (label: string) => `outputs/${safeName(label)}.md`;
