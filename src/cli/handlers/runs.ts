import type { CommandContext, Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { summariseCheckpoints } from '../../runs/review-summary.ts';
import { statSync } from 'node:fs';
import { listRuns, readRun, readRunFile, readRunJson, runFilePath, setCurrentRun } from '../../runs/store.ts';
import { MmError } from '../../util/errors.ts';
import { answerFile, pendingCalls, resumeRun } from '../../workflows/fanout/execute.ts';
import type { PipelinePlan } from '../../workflows/pipeline/plan.ts';
import { estimateCalls } from '../../workflows/pipeline/prompts.ts';
import { runPipeline, TEMPLATE_FILE, type StoredOptions } from '../../workflows/pipeline/run.ts';
import { pipelinePrinters, printPipelineReport } from '../pipeline-output.ts';
import { developPending, resumeDevelop } from '../../workflows/mao/develop-pipeline.ts';
import { printDevelopReport, stagePrinters } from '../develop-output.ts';
import { qaMarkdown, storeQaReport } from '../../workflows/mao/qa.ts';
import { fixerFrom } from '../../workflows/mao/qa-merge.ts';
import { confirmAndReport, printResults } from '../fanout-output.ts';
import { progressPrinter, runOptions, workflowContext } from './workflow-context.ts';

export const runRunsList: Handler = async ({ flags }, ctx) => {
  const { root } = await workflowContext(ctx);
  const limit = typeof flags.limit === 'number' && flags.limit > 0 ? flags.limit : 20;
  const runs = listRuns(root)
    .filter((r) => typeof flags.kind !== 'string' || r.kind === flags.kind)
    .slice(0, limit);
  if (ctx.json) printJson(ctx, { runs: runs.map(({ dir: _dir, ...r }) => r) });
  else if (runs.length === 0) ctx.stdout('No runs yet.');
  else for (const r of runs) ctx.stdout(`${r.run_id}  ${r.kind.padEnd(8)}  ${r.status.padEnd(11)}  ${r.summary}`);
  return 0;
};

export const runRunsShow: Handler = async ({ flags, positionals }, ctx) => {
  const { root } = await workflowContext(ctx);
  const id = positionals[0] ?? listRuns(root)[0]?.run_id;
  if (!id) throw new MmError('input', 'no runs yet');
  const run = readRun(root, id);
  if (!run) throw new MmError('input', `no run "${id}"`, { hint: 'mm runs list' });
  if (typeof flags.file === 'string') {
    if (isDirectory(runFilePath(root, id, flags.file)))
      throw new MmError('input', `--file ${flags.file} is a folder in run ${id}; give one of its files`, {
        details: run.files.filter((f) => f.startsWith(`${flags.file}/`.replace(/\/+$/, '/'))),
      });
    const text = readRunFile(root, id, flags.file);
    if (text === null) throw new MmError('input', `run ${id} has no file ${flags.file}`, { details: run.files });
    ctx.stdout(text);
    return 0;
  }
  // What the checkpoints decided and what the reviews found (src/runs/records.ts), beside the files.
  const { checkpoints, reviews } = summariseCheckpoints(run.dir);
  if (ctx.json) printJson(ctx, { ...run, checkpoints, reviews });
  else {
    ctx.stdout(
      [
        `${run.run_id}  (${run.kind}, ${run.status})`,
        `created ${run.created} · updated ${run.updated}${run.session ? ` · session ${run.session}` : ''}`,
        run.summary,
        `folder: ${run.dir}`,
        ...(checkpoints.length
          ? [
              'checkpoint decisions:',
              ...checkpoints.map((c) => `  ${c.at}  ${c.checkpoint} (${c.mode}) → ${c.action}: ${c.reason}`),
            ]
          : []),
        ...(reviews.length
          ? ['reviews:', ...reviews.map((r) => `  ${r.at}  ${r.kind}: ${r.outcome}  (reviews/${r.file})`)]
          : []),
        'files:',
        ...run.files.map((f) => `  ${f}`),
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  return 0;
};

/** `mm runs resume`; `invoke` is a parameter so tests can script the models. */
export function makeRunsResume(invoke: InvokeFn): Handler {
  return async ({ flags, positionals }, ctx) => {
    const { config, registry, root, invokeCtx } = await workflowContext(ctx);
    const id = positionals[0]!;
    const run = readRun(root, id);
    if (!run) throw new MmError('input', `no run "${id}"`, { hint: 'mm runs list' });
    if (run.kind === 'session') {
      setCurrentRun(root, id);
      if (ctx.json) printJson(ctx, { run_id: id, kind: 'session', resumed: true });
      else ctx.stdout(`Session ${id} is current again (debug cycles and new runs attach to it).`);
      return 0;
    }
    if (run.kind === 'pipeline') return resumePipelineRun(id, flags.yes === true, invoke, ctx);
    if (!run.files.includes('inputs/calls.json')) {
      if (ctx.json) printJson(ctx, { run_id: id, kind: run.kind, resumed: false, reason: 'not a fan-out run' });
      else ctx.stdout(`Run ${id} (${run.kind}) has nothing to resume; its outputs: mm runs show ${id}`);
      return 0;
    }
    if (run.kind === 'develop') return resumeDevelopRun(id, flags.yes === true, invoke, ctx);
    const pending = pendingCalls(id, root);
    if (pending.length === 0) {
      if (ctx.json)
        printJson(ctx, { run_id: id, kind: run.kind, resumed: false, reason: 'every call already succeeded' });
      else ctx.stdout(`Run ${id}: every call already succeeded.`);
      return 0;
    }
    await confirmAndReport(ctx, pending, registry, config, flags.yes === true, 'mm runs resume');
    const out = await resumeRun(id, {
      invoke,
      ctx: invokeCtx,
      config,
      registry,
      cwd: ctx.cwd,
      root,
      env: ctx.env,
      onProgress: progressPrinter(ctx),
    });
    if (run.kind === 'qa') {
      // The report is derived from every dimension's result: rebuild it with the re-run ones.
      const report = storeQaReport(root, id, out.results, out.allRecords, fixerFrom(config, registry));
      if (ctx.json) printJson(ctx, { run_id: id, kind: 'qa', resumed: true, rerun: out.rerun, ...report });
      else ctx.stdout(`${qaMarkdown(report)}\nSaved: .claude/mm/runs/${id}/outputs/qa.md`);
      return report.score === null ? 1 : 0;
    }
    printResults(ctx, out, null);
    return out.summary.succeeded > 0 ? 0 : 1;
  };
}

export const runRunsResume: Handler = makeRunsResume(invokeModel);

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * A pipeline run resumes with the answers it holds: only the roles without one are asked
 * (and what was built on them), then integration runs again.
 */
async function resumePipelineRun(id: string, yes: boolean, invoke: InvokeFn, ctx: CommandContext): Promise<number> {
  const wf = await workflowContext(ctx);
  const plan = readRunJson<PipelinePlan>(wf.root, id, 'inputs/plan.json');
  const template = readRunFile(wf.root, id, TEMPLATE_FILE);
  if (!plan || template === null)
    throw new MmError('input', `run ${id} has no stored plan and template: it cannot be resumed`, {
      hint: `start it again with mm pipeline; its outputs: mm runs show ${id}`,
    });
  const pending = estimateCalls(plan, template).filter((c) => readRunFile(wf.root, id, answerFile(c.label)) === null);
  if (pending.length === 0 && readRunFile(wf.root, id, 'outputs/report.json') !== null) {
    if (ctx.json)
      printJson(ctx, { run_id: id, kind: 'pipeline', resumed: false, reason: 'every role already answered' });
    else ctx.stdout(`Run ${id}: every role already answered; its report: mm runs show ${id}`);
    return 0;
  }
  await confirmAndReport(ctx, pending, wf.registry, wf.config, yes, 'mm runs resume');
  const links = readRunJson<StoredOptions>(wf.root, id, 'inputs/options.json')?.links ?? [];
  const report = await runPipeline(
    plan,
    { ...runOptions(ctx, wf, 'pipeline (resumed)'), invoke, template, links, ...pipelinePrinters(ctx) },
    id,
  );
  return printPipelineReport(ctx, report);
}

/** A develop run resumes in stage order (failed workstreams and the ones built on them), then Phase 5 again. */
async function resumeDevelopRun(id: string, yes: boolean, invoke: InvokeFn, ctx: CommandContext): Promise<number> {
  const wf = await workflowContext(ctx);
  const { inputs, todo } = developPending(id, wf.root);
  if (todo.length === 0) {
    if (ctx.json)
      printJson(ctx, { run_id: id, kind: 'develop', resumed: false, reason: 'every call already succeeded' });
    else ctx.stdout(`Run ${id}: every workstream already answered.`);
    return 0;
  }
  await confirmAndReport(
    ctx,
    inputs.calls.filter((c) => todo.includes(c.label)),
    wf.registry,
    wf.config,
    yes,
    'mm runs resume',
  );
  const report = await resumeDevelop(id, {
    ...runOptions(ctx, wf, 'develop: workstreams (resumed)'),
    invoke,
    ...stagePrinters(ctx),
  });
  return printDevelopReport(ctx, wf.root, report);
}
