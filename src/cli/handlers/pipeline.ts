import type { Handler, ParsedArgs } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { applyToTree } from '../../git/apply-to-tree.ts';
import { repoRoot } from '../../git/git.ts';
import { checkLinks } from '../../git/links.ts';
import { readRun, readRunJson, runFilePath, updateRun } from '../../runs/store.ts';
import { MmError } from '../../util/errors.ts';
import { loadTemplate, renderSpec } from '../../workflows/handoff/templates.ts';
import { formatPipelinePlan, planPipeline } from '../../workflows/pipeline/plan.ts';
import { estimateCalls } from '../../workflows/pipeline/prompts.ts';
import { patchFile, runPipeline, type PipelineReport } from '../../workflows/pipeline/run.ts';
import { confirmAndReport } from '../fanout-output.ts';
import { pipelinePrinters, printPipelineReport } from '../pipeline-output.ts';
import { runOptions, stringList, workflowContext } from './workflow-context.ts';

function taskText({ flags, text }: ParsedArgs): string {
  const task =
    typeof flags.task === 'string' ? flags.task : typeof text['task-file'] === 'string' ? text['task-file'] : '';
  if (!task.trim()) throw new MmError('usage', 'say what to build with --task TEXT or --task-file FILE');
  return task.trim();
}

export const runPipelineCommand: Handler = async (args, ctx) => {
  const { flags } = args;
  const task = taskText(args);
  // Phase C works in scratch clones of the repository: refuse early outside one, or on a wrong --link.
  const links = checkLinks(stringList(flags.link), await repoRoot(ctx.cwd));
  const { config, registry, root, invokeCtx } = await workflowContext(ctx);
  const plan = planPipeline(task, config, registry, ctx.env);
  const template = renderSpec(loadTemplate('code_spec.md'), {
    title: '[Brief Title]',
    specId: `PL-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`,
    architect: plan.synthesizer.model,
    created: new Date().toISOString(),
  });
  if (!ctx.json) ctx.stderr(formatPipelinePlan(plan));
  await confirmAndReport(ctx, estimateCalls(plan, template), registry, config, flags.yes === true, 'mm pipeline');
  const report = await runPipeline(plan, {
    ...runOptions(ctx, { config, registry, root, invokeCtx }, 'pipeline: analysis', flags.timeout),
    template,
    links,
    ...pipelinePrinters(ctx),
  });
  return printPipelineReport(ctx, report);
};

/** A pipeline patch reaches the user's tree only here, after review. */
export const runPipelineApply: Handler = async ({ positionals, flags }, ctx) => {
  const { root } = await workflowContext(ctx);
  const runId = positionals[0]!;
  const report = readRunJson<PipelineReport>(root, runId, 'outputs/report.json');
  if (!report)
    throw new MmError('input', `run ${runId} has no pipeline report: only \`mm pipeline\` runs can be applied`);
  const role = typeof flags.role === 'string' ? flags.role : report.recommended;
  if (!role)
    throw new MmError('input', `run ${runId} has no patch that applied and passed verification`, {
      hint: `read .claude/mm/runs/${runId}/outputs/report.md, then choose one with --role ROLE`,
    });
  const candidate = report.candidates.find((c) => c.role === role);
  if (!candidate?.patch_file)
    throw new MmError('input', `run ${runId} has no patch from role "${role}"`, {
      hint: `patches: ${
        report.candidates
          .filter((c) => c.patch_file)
          .map((c) => c.role)
          .join(', ') || 'none'
      }`,
    });
  const repo = await repoRoot(ctx.cwd);
  const file = runFilePath(root, runId, patchFile(role));
  const applied = await applyToTree(repo, file);
  if (!applied.ok)
    throw new MmError('input', `the ${role} patch of run ${runId} does not apply to your tree: ${applied.reason}`);
  updateRun(root, runId, { summary: `${readRun(root, runId)?.summary ?? 'pipeline'} · applied ${role}` });
  if (ctx.json) printJson(ctx, { run_id: runId, role, applied: true, files: candidate.files });
  else ctx.stdout(`Applied the ${role} patch of run ${runId}: ${candidate.files.join(', ')}`);
  return 0;
};
