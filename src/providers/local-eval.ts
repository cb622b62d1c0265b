/**
 * The local model's eval gate (design §5.9): before a local model generates code, the
 * configured eval command must pass for the pinned model id. The result is recorded in
 * `.claude/mm/local-eval.json` and reused while the pin and the eval stay the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess, tail } from '../process/runner.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { InvokeContext } from './types.ts';

interface LocalEvalRecord {
  model_id: string;
  checksum?: string;
  eval_suite: string;
  passed: boolean;
  exit_code: number | null;
  ts: string;
  output_tail: string;
}

export const localEvalPath = (root: string) => join(root, '.claude', 'mm', 'local-eval.json');

export async function ensureLocalEval(ctx: InvokeContext): Promise<{ passed: boolean; reason: string }> {
  const local = ctx.loaded.config.models.local_llm;
  const { model_id, checksum, eval_suite } = local.pinning;
  if (!model_id) return { passed: false, reason: 'no pinned model_id' };
  if (!eval_suite)
    return { passed: false, reason: 'require_eval = true but [models.local_llm.pinning] eval_suite is not set' };
  const path = localEvalPath(ctx.root);
  const previous = readRecord(path);
  if (
    previous &&
    previous.passed &&
    previous.model_id === model_id &&
    previous.eval_suite === eval_suite &&
    previous.checksum === checksum
  ) {
    return { passed: true, reason: `eval passed at ${previous.ts}` };
  }
  // The eval is a command line split on spaces: argv, never a shell.
  const [command, ...args] = eval_suite.split(/\s+/).filter(Boolean);
  const run = await runProcess({
    command: command!,
    args,
    cwd: ctx.root,
    env: { ...ctx.env, MM_LOCAL_MODEL: model_id, MM_LOCAL_ENDPOINT: local.endpoint, MM_LOCAL_API: local.api },
    timeoutMs: local.timeout_seconds * 1000,
  });
  const record: LocalEvalRecord = {
    model_id,
    ...(checksum ? { checksum } : {}),
    eval_suite,
    passed: run.exitCode === 0 && !run.timedOut,
    exit_code: run.exitCode,
    ts: new Date().toISOString(),
    output_tail: tail(`${run.stdout}\n${run.stderr}`, 20),
  };
  writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  return record.passed
    ? { passed: true, reason: 'eval passed' }
    : {
        passed: false,
        reason: `eval "${eval_suite}" failed (${run.spawnError ? run.spawnError : run.timedOut ? 'timeout' : `exit ${run.exitCode}`}); see ${path}`,
      };
}

function readRecord(path: string): LocalEvalRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LocalEvalRecord;
  } catch {
    return undefined;
  }
}
