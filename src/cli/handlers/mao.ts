import type { CommandContext, Handler, ParsedArgs } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { invokeModel } from '../../providers/index.ts';
import { applyToTree } from '../../git/apply-to-tree.ts';
import { git, repoRoot } from '../../git/git.ts';
import { checkLinks } from '../../git/links.ts';
import { currentRunId } from '../../runs/state.ts';
import { listRuns, readRun, readRunFile, readRunJson, runFilePath, updateRun, writeRunFile } from '../../runs/store.ts';
import { MmError } from '../../util/errors.ts';
import { EXIT, exitForStatus } from '../exit-codes.ts';
import { executeAsRun } from '../../workflows/fanout/execute.ts';
import {
  developCalls,
  formatPlan,
  planCheckpoint,
  planDevelop,
  sectionCalls,
  WORKSTREAMS,
  type DevelopPlan,
} from '../../workflows/mao/develop.ts';
import { analyzePhase0, formatPhase0, type Phase0 } from '../../workflows/mao/develop-phase0.ts';
import { parseSectionList, sectionsTask, type PlanSection } from '../../workflows/mao/develop-sections.ts';
import { sectionGraph } from '../../workflows/mao/develop-graph.ts';
import {
  digestRuns,
  journalCalls,
  synthesisPlan,
  journalOutcome,
  planJournal,
  selectRuns,
  synthesizeJournal,
} from '../../workflows/mao/journal.ts';
import { planQa, qaCalls, qaMarkdown, storeQaReport } from '../../workflows/mao/qa.ts';
import { fixerFrom } from '../../workflows/mao/qa-merge.ts';
import { runDevelopPipeline, type DevelopReport } from '../../workflows/mao/develop-pipeline.ts';
import { estimateCost, formatEstimate } from '../../workflows/fanout/cost.ts';
import { confirmAndReport, printFallbacks } from '../fanout-output.ts';
import { printDevelopReport, stagePrinters } from '../develop-output.ts';
import { runOptions, seconds, stringList, workflowContext } from './workflow-context.ts';

const MAX_MATERIAL_CHARS = 150_000;

interface TaskInput {
  task: string;
  /** The plan sections chosen with --plan FILE --sections, when more than one: run section by section. */
  sections?: { file: string; list: PlanSection[] };
}

function taskInput({ flags, text }: ParsedArgs): TaskInput {
  if (typeof text.plan === 'string') {
    const file = String(flags.plan);
    const numbers = stringList(flags.sections);
    if (!numbers.length) return { task: text.plan.trim() };
    const chosen = sectionsTask(text.plan, file, parseSectionList(numbers));
    return { task: chosen.task, ...(chosen.sections.length > 1 ? { sections: { file, list: chosen.sections } } : {}) };
  }
  if (flags.sections !== undefined)
    throw new MmError('usage', '--sections needs --plan FILE (the plan document whose numbered sections to run)');
  const task =
    typeof flags.task === 'string' ? flags.task : typeof text['task-file'] === 'string' ? text['task-file'] : '';
  if (!task.trim())
    throw new MmError('usage', 'say what to build with --task TEXT, --task-file FILE or --plan FILE --sections 2,3');
  return { task: task.trim() };
}

/** The calls and their graph: one set per plan section, section by section, or one set. */
function callsAndGraph(input: TaskInput, plan: DevelopPlan, phase0: Phase0, context = '') {
  if (!input.sections) return { calls: developCalls(plan, context), graph: phase0.graph };
  return {
    calls: sectionCalls(plan, input.sections.list, input.sections.file, context),
    graph: sectionGraph(
      phase0.graph,
      input.sections.list.map((s) => s.number),
    ),
  };
}

const sectionsLine = (input: TaskInput) =>
  input.sections
    ? `\nSection by section: ${input.sections.list.map((s) => `${s.number} (${s.title})`).join(' → ')}, each with the stages above`
    : '';

/** Phase 0 for a plan: the analyst's graph or the deterministic one. */
async function phase0For(
  plan: DevelopPlan,
  ctx: CommandContext,
  wf: Awaited<ReturnType<typeof workflowContext>>,
  timeout?: unknown,
): Promise<Phase0> {
  return analyzePhase0(
    plan.task,
    plan.assignments.map((a) => a.key),
    {
      invoke: invokeModel,
      ctx: wf.invokeCtx,
      cwd: ctx.cwd,
      root: wf.root,
      config: wf.config,
      registry: wf.registry,
      env: ctx.env,
      timeoutMs: seconds(timeout),
    },
  );
}

function workstreams(flags: ParsedArgs['flags'], routing: Record<string, unknown>): readonly string[] {
  const chosen = stringList(flags.workstream);
  for (const w of chosen)
    if (!routing[w])
      throw new MmError('usage', `unknown workstream "${w}": use a [routing] key such as ${WORKSTREAMS.join(', ')}`);
  return chosen.length ? chosen : WORKSTREAMS;
}

export const runDevelopPlan: Handler = async (args, ctx) => {
  const wf = await workflowContext(ctx);
  const { config, registry } = wf;
  const input = taskInput(args);
  const plan = planDevelop(input.task, config, registry, workstreams(args.flags, config.routing), ctx.env);
  const phase0 = await phase0For(plan, ctx, wf);
  const { calls, graph } = callsAndGraph(input, plan, phase0);
  const estimate = estimateCost(calls, registry, config.fanout.estimate_output_tokens);
  if (ctx.json) printJson(ctx, { ...plan, graph, phase0, estimate });
  else
    ctx.stdout(
      `${formatPlan(plan)}\n${formatPhase0(phase0)}${sectionsLine(input)}\n${formatEstimate(estimate)}\nRun it: mm develop run … --yes`,
    );
  return 0;
};

/** Phase 5's combined patch reaches the user's tree only here, after review. */
export const runDevelopApply: Handler = async ({ positionals, flags }, ctx) => {
  const { root } = await workflowContext(ctx);
  const runId = positionals[0]!;
  const report = readRunJson<DevelopReport>(root, runId, 'outputs/report.json');
  const patch = readRunFile(root, runId, 'outputs/develop.patch');
  if (!report || patch === null)
    throw new MmError('input', `run ${runId} has no develop report: only \`mm develop run\` runs can be applied`);
  if (!patch.trim()) throw new MmError('input', `run ${runId} changed no files: nothing to apply`);
  if (!report.ready && flags.force !== true)
    throw new MmError('input', `run ${runId} is not ready to apply (${notReady(report)})`, {
      hint: `read .claude/mm/runs/${runId}/outputs/report.md, then re-run with --force to apply anyway`,
    });
  const repo = await repoRoot(ctx.cwd);
  const file = runFilePath(root, runId, 'outputs/develop.patch');
  const applied = await applyToTree(repo, file);
  if (!applied.ok)
    throw new MmError('input', `the patch of run ${runId} does not apply to your tree: ${applied.reason}`);
  updateRun(root, runId, { summary: `${readRun(root, runId)?.summary ?? 'develop'} · applied` });
  if (ctx.json) printJson(ctx, { run_id: runId, applied: true, files: report.changed });
  else ctx.stdout(`Applied run ${runId}: ${report.changed.join(', ')}`);
  return 0;
};

function notReady(r: DevelopReport): string {
  const why = [
    ...(r.results.some((x) => !x.ok) ? ['a workstream did not answer'] : []),
    ...(r.conflicts.some((c) => c.settled_by === 'unsettled')
      ? [`${r.conflicts.filter((c) => c.settled_by === 'unsettled').length} unsettled conflict(s)`]
      : []),
    ...(r.verification.some((v) => !v.passed) ? ['verification failed'] : []),
  ];
  return why.join(', ') || 'nothing changed';
}

export const runDevelopRun: Handler = async (args, ctx) => {
  const { flags } = args;
  const wf = await workflowContext(ctx);
  const { config, registry, root, invokeCtx } = wf;
  const input = taskInput(args);
  // Checked before any call is paid for: a wrong --link would only fail in Phase 5.
  const links = checkLinks(stringList(flags.link), await repoRoot(ctx.cwd));
  const plan = planDevelop(input.task, config, registry, workstreams(flags, config.routing), ctx.env);
  const context = typeof args.text['context-file'] === 'string' ? args.text['context-file'] : '';
  // Phase 0 (one call to the cheapest model, or none), then the team, the diversity, the order
  // and the cost estimate — all before the workstreams' paid calls, which need --yes.
  const phase0 = await phase0For(plan, ctx, wf, flags.timeout);
  const { calls, graph } = callsAndGraph(input, plan, phase0, context);
  const estimate = estimateCost(calls, registry, config.fanout.estimate_output_tokens);
  const gate = planCheckpoint(config.develop.plan_checkpoint, flags.yes === true, estimate.paidCalls);
  if (gate.showPlan && !ctx.json) ctx.stderr(`${formatPlan(plan)}\n${formatPhase0(phase0)}${sectionsLine(input)}`);
  if (!gate.proceed)
    throw new MmError(
      'needs_confirmation',
      `mm develop run would make ${estimate.paidCalls} paid workstream call(s) (~$${estimate.knownUsd.toFixed(4)}${estimate.unpriced ? ' plus unpriced calls' : ''}); [develop] plan_checkpoint = "ask"`,
      {
        details: [...formatPhase0(phase0).split('\n'), ...formatEstimate(estimate).split('\n')],
        hint: 'show the plan to the user; after their go, re-run with --yes',
      },
    );
  await confirmAndReport(ctx, calls, registry, config, true, 'mm develop run');
  const report = await runDevelopPipeline(
    calls,
    graph,
    {
      ...runOptions(ctx, { config, registry, root, invokeCtx }, 'develop: workstreams', flags.timeout),
      ...stagePrinters(ctx),
    },
    `develop: ${plan.task.slice(0, 60)}`,
    { task: plan.task, plan, phase0, sections: input.sections?.list.map((x) => x.number) ?? null, links },
  );
  return printDevelopReport(ctx, root, report);
};

async function qaMaterial({ flags, text }: ParsedArgs, ctx: CommandContext): Promise<string> {
  const prd = typeof text.prd === 'string' ? text.prd : '';
  let change: string;
  let what: string;
  if (typeof text.material === 'string' && typeof flags.material === 'string') {
    change = text.material;
    what = flags.material;
  } else {
    const base = typeof flags.base === 'string' ? flags.base : 'HEAD';
    const repo = await repoRoot(ctx.cwd);
    const r = await git(['diff', '--no-ext-diff', base, '--'], repo);
    if (r.code !== 0) throw new MmError('input', `git diff ${base} failed: ${r.stderr.trim()}`);
    change = r.stdout;
    what = `git diff ${base}`;
  }
  if (!change.trim())
    throw new MmError('input', 'nothing to review: the diff is empty', {
      hint: 'use --base REF for committed work, or --material FILE',
    });
  const clipped =
    change.length > MAX_MATERIAL_CHARS
      ? `${change.slice(0, MAX_MATERIAL_CHARS)}\n… (clipped at ${MAX_MATERIAL_CHARS} characters)`
      : change;
  return [
    prd
      ? `## Requirements (PRD)\n\n${prd}`
      : "## Requirements (PRD)\n\nNone given: judge PRD compliance against the change's evident intent.",
    `## Under review (${what})\n\n\`\`\`diff\n${clipped}\n\`\`\``,
  ].join('\n\n');
}

export const runQa: Handler = async (args, ctx) => {
  const { flags } = args;
  const { config, registry, root, invokeCtx } = await workflowContext(ctx);
  const material = await qaMaterial(args, ctx);
  const calls = qaCalls(planQa(config, registry), material);
  await confirmAndReport(ctx, calls, registry, config, flags.yes === true, 'mm qa');
  const out = await executeAsRun(
    'qa',
    calls,
    {
      ...runOptions(ctx, { config, registry, root, invokeCtx }, 'qa: dimensions', flags.timeout),
    },
    'qa',
  );
  printFallbacks(ctx, out.records);
  const report = storeQaReport(root, out.runId, out.results, out.allRecords, fixerFrom(config, registry));
  if (ctx.json) printJson(ctx, { run_id: out.runId, ...report });
  else ctx.stdout(`${qaMarkdown(report)}\nSaved: .claude/mm/runs/${out.runId}/outputs/qa.md`);
  return report.score === null ? 1 : 0;
};

/** "8h", "2d", "30m" or an ISO date. */
export function parseSince(value: string, now = new Date()): Date {
  const m = /^(\d+)\s*([mhd])$/.exec(value.trim());
  if (m)
    return new Date(now.getTime() - Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd']);
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new MmError('usage', `--since "${value}": use an ISO date or a duration like 8h, 2d`);
  return d;
}

export const runJournal: Handler = async ({ flags }, ctx) => {
  const { config, registry, root, invokeCtx } = await workflowContext(ctx);
  const since = typeof flags.since === 'string' ? parseSince(flags.since) : undefined;
  const session = typeof flags.session === 'string' ? flags.session : since ? null : currentRunId(root, ctx.env);
  const runs = selectRuns(listRuns(root), { session, since: since ?? (session ? undefined : parseSince('24h')) });
  if (runs.length === 0) {
    if (ctx.json) printJson(ctx, { runs: 0, markdown: null });
    else
      ctx.stdout(
        `No runs to journal${session ? ` in session ${session}` : ' in the last 24 h'}. Workflows (referee, fanout, develop, qa) and checkpoints record runs as they go.`,
      );
    return 0;
  }
  const calls = journalCalls(planJournal(config, registry), digestRuns(root, runs));
  // The synthesis is a paid call too (the orchestration model): it belongs in the estimate.
  const synthesis = synthesisPlan(
    config.models.defaults.orchestration,
    calls.length,
    config.fanout.estimate_output_tokens,
  );
  await confirmAndReport(ctx, [...calls, synthesis], registry, config, flags.yes === true, 'mm journal');
  const out = await executeAsRun(
    'journal',
    calls,
    {
      ...runOptions(ctx, { config, registry, root, invokeCtx }, 'journal: perspectives'),
    },
    `journal of ${runs.length} runs`,
  );
  printFallbacks(ctx, out.records);
  const outcome = journalOutcome(out.results, out.records);
  if (outcome.failed) {
    // Nothing to synthesise: do not pay for a synthesis of nothing, and never exit 0.
    const message = `No journal: none of the perspectives could answer (${outcome.missing.join(', ')}). Retry: mm runs resume ${out.runId}`;
    if (ctx.json)
      printJson(ctx, {
        run_id: out.runId,
        runs: runs.length,
        ok: false,
        missing: outcome.missing,
        perspectives: out.results,
      });
    ctx.stderr(message);
    const code = exitForStatus(outcome.status);
    return code === EXIT.ok ? EXIT.failed : code;
  }
  const entry = await synthesizeJournal(out.results, {
    invoke: invokeModel,
    ctx: invokeCtx,
    cwd: ctx.cwd,
    model: config.models.defaults.orchestration,
    date: new Date().toISOString().slice(0, 10),
  });
  writeRunFile(root, out.runId, 'outputs/journal.md', entry.markdown);
  if (ctx.json) printJson(ctx, { run_id: out.runId, runs: runs.length, ok: true, missing: outcome.missing, ...entry });
  else ctx.stdout(entry.markdown);
  if (outcome.missing.length) ctx.stderr(`Partial journal: could not answer: ${outcome.missing.join(', ')}.`);
  return 0;
};
