/**
 * `mm handoff run`: the coder implements a handoff's Code Spec(s) in an isolated checkout,
 * mm runs each spec's verification command there, and writes the Code Report from what
 * actually happened. The result — patch, report, verification logs — goes to the run
 * store for the architect to review; the user's tree is untouched until
 * `mm handoff apply`. Batch mode runs the numbered specs in order in the same checkout.
 */
import { join } from 'node:path';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import { progress } from '../../jobs/progress.ts';
import { runProcess } from '../../process/runner.ts';
import { createRun, updateRun, writeRunFile } from '../../runs/store.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { MmError } from '../../util/errors.ts';
import { changeSince, createCheckout, removeCheckout, type CheckoutChange } from './checkout.ts';
import { CODER_TASK, coderPrompt, parseCoderReply, writeTextAnswer, type Coder } from './coder.ts';
import { fencedBlocks, findSection, parseMarkdown } from './markdown.ts';
import type { Problem } from './problems.ts';
import { renderRunReport, verificationPassed, type SpecOutcome, type Verification } from './run-report.ts';
import { checkHandoff, handoffDir, readSpecs, REPORT_FILE } from './store.ts';
import { findArchitectTodos, validateReport } from './validate-report.ts';
import { parseSpec } from './validate-spec.ts';

export const HANDOFF_RUN_KIND = 'handoff';

export interface HandoffRunInput {
  root: string;
  id: string;
  coder: Coder;
  invoke: InvokeFn;
  ctx: InvokeContext;
  env: NodeJS.ProcessEnv;
  /** Per spec, for the coder. */
  timeoutMs: number;
  /** Per spec, for its verification command. */
  verifyTimeoutMs: number;
  /** Untracked paths of the user's tree symlinked into the checkout (node_modules…). */
  links?: string[];
  /** Keep the checkout folder afterwards (to look around in it). */
  keepCheckout?: boolean;
  /** Replace an existing code_report.md of the handoff. */
  force?: boolean;
}

export interface HandoffRunResult {
  run: string;
  handoff: string;
  coder: Coder;
  /** "ok" when the coder answered for every spec; else the first failure's status. */
  status: InvokeStatus;
  verified: boolean;
  specs: Array<{
    name: string;
    coder: 'ok' | InvokeStatus;
    error: string | null;
    verification: { command: string | null; exit_code: number | null; timed_out: boolean; passed: boolean } | null;
  }>;
  files: CheckoutChange['files'];
  patch: string;
  report: { path: string; ok: boolean; problems: Problem[] };
  checkout: string | null;
}

/** The first command block of the spec's "Verification Command" section. */
export function verificationCommand(specText: string): string | null {
  const section = findSection(parseMarkdown(specText), 'Verification Command');
  const block = section ? fencedBlocks(section.body).find((b) => b.trim()) : undefined;
  return block?.trim() ?? null;
}

export async function runHandoff(input: HandoffRunInput): Promise<HandoffRunResult> {
  const { root, id, coder } = input;
  const check = checkHandoff(root, id);
  if (!check.specOk)
    throw new MmError('input', `handoff ${id}: the spec is not valid yet`, {
      details: [...check.specs.flatMap((s) => s.problems), ...check.batchProblems]
        .filter((p) => p.level === 'error')
        .map((p) => `${p.file ? `${p.file}: ` : ''}${p.message}`),
      hint: `mm handoff spec validate ${id}`,
    });
  if (check.report && !input.force)
    throw new MmError('input', `handoff ${id} already has ${REPORT_FILE}`, {
      hint: 'pass --force to replace it (the earlier run keeps its copy in the run store)',
    });
  const specs = readSpecs(root, id);
  const run = createRun(root, HANDOFF_RUN_KIND, {
    env: input.env,
    summary: `handoff ${id}: ${coder.model} implements ${specs.length} spec(s)`,
  });
  updateRun(root, run.run_id, { handoff: id, coder: coder.model });
  for (const s of specs) writeRunFile(root, run.run_id, `inputs/${s.name}`, s.text);

  progress({ phase: 'preparing the isolated checkout' });
  const checkout = await createCheckout(root, run.run_id, input.links ?? []);
  // Cancelled (SIGTERM: the process runner kills the coder and exits) or Ctrl-C: `finally`
  // is skipped, so the checkout is also removed on 'exit'. With no coder in flight nobody
  // else exits on the signal (listening to it disables Node's default), so we do.
  const removeOnExit = () => {
    if (!input.keepCheckout) removeCheckout(checkout.repo, checkout.dir);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', removeOnExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcomes: SpecOutcome[] = [];
    let status: InvokeStatus = 'ok';
    for (const [i, spec] of specs.entries()) {
      const parsed = parseSpec(spec.text);
      const verification = verificationCommand(spec.text);
      const outcome: SpecOutcome = {
        name: spec.name,
        specId: parsed.specId,
        files: parsed.files,
        reply: null,
        notes: [],
        verification: null,
      };
      outcomes.push(outcome);
      if (status !== 'ok') {
        outcome.error = 'not run: the coder gave no answer for an earlier spec';
        continue;
      }
      progress({ phase: `coder ${coder.model} implementing ${spec.name}`, done: i, total: specs.length });
      const result = await input.invoke(
        coder.model,
        {
          prompt: coderPrompt({ name: spec.name, text: spec.text, verification }, coder),
          model: coder.model,
          sandbox: coder.mode === 'agent' ? 'workspace-write' : 'read-only',
          cwd: checkout.workdir,
          task: CODER_TASK,
          checkpoint: `handoff:${id}`,
          // The coder the user confirmed, or none: a stand-in model was not agreed to.
          fallback: false,
          timeoutMs: input.timeoutMs,
        },
        input.ctx,
      );
      writeRunFile(root, run.run_id, `outputs/coder-${String(i + 1).padStart(2, '0')}.md`, result.text ?? '');
      if (result.status !== 'ok') {
        status = result.status;
        outcome.error = `${result.status}: ${result.error ?? 'no answer'}`;
        continue;
      }
      outcome.reply = parseCoderReply(result.text);
      if (coder.mode === 'text')
        outcome.notes.push(...(await writeTextAnswer(checkout.workdir, result.text, outcome.reply.deleted)));
      progress({ phase: `verifying ${spec.name}`, done: i, total: specs.length });
      outcome.verification = await verify(verification, checkout.workdir, input);
      writeRunFile(
        root,
        run.run_id,
        `outputs/verification-${String(i + 1).padStart(2, '0')}.log`,
        outcome.verification.output,
      );
    }

    progress({ phase: 'writing the Code Report', done: specs.length, total: specs.length });
    const change = await changeSince(checkout);
    const todos = findArchitectTodos(
      change.files.filter((f) => f.action !== 'Deleted').map((f) => f.path),
      checkout.dir,
    );
    const title = specs.length > 1 ? id : (outcomes[0]?.specId ?? id);
    const report = renderRunReport({
      title,
      coder: coder.name,
      completed: new Date().toISOString(),
      specLink: specs.map((s) => s.name).join(', '),
      outcomes,
      change,
      todos,
    });
    const validation = validateReport(
      report,
      outcomes.map((o) => parseSpec(specs.find((s) => s.name === o.name)!.text)),
      checkout.dir,
      REPORT_FILE,
    );
    // A batch report is titled with the handoff id, not one spec's id (as checkHandoff allows).
    if (specs.length > 1) {
      validation.problems = validation.problems.filter((p) => p.code !== 'spec_id_mismatch');
      validation.ok = !validation.problems.some((p) => p.level === 'error');
    }
    writeRunFile(root, run.run_id, 'outputs/patch.diff', change.patch);
    writeRunFile(root, run.run_id, `outputs/${REPORT_FILE}`, report);
    const reportPath = join(handoffDir(root, id), REPORT_FILE);
    writeFileAtomic(reportPath, report);
    const verified = outcomes.every((o) => verificationPassed(o.verification));
    const result: HandoffRunResult = {
      run: run.run_id,
      handoff: id,
      coder,
      status,
      verified,
      specs: outcomes.map((o) => ({
        name: o.name,
        coder: o.reply ? 'ok' : o.error?.startsWith('not run') ? 'failed' : status,
        error: o.error ?? null,
        verification: o.verification
          ? {
              command: o.verification.command,
              exit_code: o.verification.exitCode,
              timed_out: o.verification.timedOut,
              passed: verificationPassed(o.verification),
            }
          : null,
      })),
      files: change.files,
      patch: 'outputs/patch.diff',
      report: { path: reportPath, ok: validation.ok, problems: validation.problems },
      checkout: input.keepCheckout ? checkout.dir : null,
    };
    writeRunFile(root, run.run_id, 'outputs/result.json', result);
    updateRun(root, run.run_id, {
      status: status === 'ok' ? 'done' : 'failed',
      summary: `handoff ${id}: ${coder.model}, ${change.files.length} file(s), verification ${verified ? 'passed' : 'did not pass'}`,
    });
    return result;
  } catch (e) {
    updateRun(root, run.run_id, { status: 'failed' });
    throw e;
  } finally {
    process.off('exit', removeOnExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    removeOnExit();
  }
}

async function verify(command: string | null, cwd: string, input: HandoffRunInput): Promise<Verification> {
  if (command === null) return { command: null, exitCode: null, timedOut: false, output: '' };
  const r = await runProcess({
    command: 'sh',
    args: ['-c', command],
    cwd,
    env: input.env,
    timeoutMs: input.verifyTimeoutMs,
  });
  const output = [r.stdout.trimEnd(), r.stderr.trimEnd(), r.spawnError ? `cannot start sh: ${r.spawnError}` : '']
    .filter(Boolean)
    .join('\n');
  return { command, exitCode: r.exitCode, timedOut: r.timedOut, output };
}
