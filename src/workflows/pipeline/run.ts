/**
 * `mm pipeline`: the fwber design's analysis → synthesis → implementation → integration,
 * as one stored run.
 *   A. analysis roles in parallel, on the task plus the files it names (packet size limit,
 *      secrets guard at call time);
 *   B. the synthesiser writes a Code Spec; `validateSpec` checks it; one repair round, then
 *      a clear failure;
 *   C. patch roles in parallel inside a scratch clone, each answer applied and verified in
 *      its own scratch clone; the reviewer then reads the proposals;
 *   D. one report (Markdown + JSON) in the run store. Nothing touches the user's tree:
 *      `mm pipeline apply <run>` is the only step that does.
 */
import { gitOk } from '../../git/git.ts';
import { withScratchWorktree } from '../../git/scratch-worktree.ts';
import { createRun, readRunFile, readRunJson, removeRunFile, updateRun, writeRunFile } from '../../runs/store.ts';
import type { ErrorKind } from '../../util/errors.ts';
import { MmError } from '../../util/errors.ts';
import { answerFile, runCalls, type ExecuteOptions } from '../fanout/execute.ts';
import type { CallRecord } from '../fanout/run.ts';
import { withNamedFiles } from '../fanout/spec-files.ts';
import type { FanoutResult, PlannedCall } from '../fanout/types.ts';
import type { Problem } from '../handoff/problems.ts';
import { validateSpec } from '../handoff/validate-spec.ts';
import { checkCandidate, pickRecommended, type CandidateCheck } from './candidates.ts';
import type { PipelinePlan } from './plan.ts';
import {
  analysisCalls,
  implementationCalls,
  repairCall,
  reviewCalls,
  specFromAnswer,
  synthesisCall,
} from './prompts.ts';
import { pipelineMarkdown } from './report.ts';

type PipelinePhase = 'analysis' | 'synthesis' | 'implementation' | 'integration';

export interface PipelineOptions extends ExecuteOptions {
  /** The Code Spec template the synthesiser fills. */
  template: string;
  onPhase?: (phase: PipelinePhase) => void;
  /** Named files left out of a prompt (too big, outside the project). */
  onSkipped?: (s: { label: string; path: string; why: string }) => void;
  /** Each phase's call records as they land (the CLI prints their fallback hops). */
  onRecords?: (records: CallRecord[]) => void;
  /** `--link`: untracked paths of the user's tree symlinked into each candidate's clone. */
  links?: string[];
}

/** What a resume needs besides the plan (inputs/plan.json): the options and the Code Spec template. */
export interface StoredOptions {
  links: string[];
}
export const TEMPLATE_FILE = 'inputs/code_spec_template.md';

interface RoleOutcome {
  phase: 'analysis' | 'synthesis' | 'implementation';
  role: string;
  /** The model that answered (or the last one tried). */
  model: string;
  ok: boolean;
  error?: string;
  /** Run-store file holding the answer. */
  file?: string;
  /** Kept from the run's earlier attempt: a resume did not ask it again. */
  kept?: boolean;
}

export interface PipelineReport {
  run_id: string;
  task: string;
  base: string;
  roles: RoleOutcome[];
  spec: { file: string; repaired: boolean; warnings: Problem[] };
  candidates: Array<Omit<CandidateCheck, 'patch'> & { patch_file?: string }>;
  /** Files two patch roles both changed: alternatives, so only one can be applied. */
  conflicts: Array<{ file: string; roles: string[] }>;
  /** The patch role whose change passed every check, the smallest diff among several (pickRecommended). */
  recommended: string | null;
  /** Why it was picked (tests decided, or the smaller diff broke a tie). */
  recommended_why?: string;
  ready: boolean;
}

export const patchFile = (role: string) => `outputs/patches/${role}.patch`;

/**
 * Runs the pipeline as a new run, or resumes the stored run `resume` (`mm runs resume`):
 * then every role whose answer the run already holds keeps it and is not asked again,
 * the synthesis runs again unless its Code Spec validated, the reviewer again when a
 * proposal was asked again, and integration always runs again (no model call).
 */
export async function runPipeline(plan: PipelinePlan, opts: PipelineOptions, resume?: string): Promise<PipelineReport> {
  const runId =
    resume ??
    createRun(opts.root, 'pipeline', { env: opts.env, summary: `pipeline: ${plan.task.slice(0, 60)}` }).run_id;
  if (!resume) {
    writeRunFile(opts.root, runId, 'inputs/plan.json', plan);
    writeRunFile(opts.root, runId, 'inputs/options.json', { links: opts.links ?? [] } satisfies StoredOptions);
    writeRunFile(opts.root, runId, TEMPLATE_FILE, opts.template);
  }
  const records: CallRecord[] = resume
    ? (readRunJson<CallRecord[]>(opts.root, runId, 'outputs/attempts.json') ?? [])
    : [];
  const roles: RoleOutcome[] = [];
  let asked = 0;
  const phase = async (name: RoleOutcome['phase'], calls: PlannedCall[], cwd: string, keep = true) => {
    const kept = new Map<string, FanoutResult>();
    for (const c of keep && resume ? calls : []) {
      const text = readRunFile(opts.root, runId, answerFile(c.label));
      if (text !== null)
        kept.set(c.label, { label: c.label, model: c.model, complexity: c.complexity, ok: true, text });
    }
    const todo = calls.filter((c) => !kept.has(c.label));
    asked += todo.length;
    const out = todo.length ? await runCalls(todo, opts, runId, cwd) : { records: [], results: [] };
    records.push(...out.records);
    opts.onRecords?.(out.records);
    writeRunFile(opts.root, runId, 'outputs/attempts.json', records);
    const fresh = new Map(out.results.map((r) => [r.label, r]));
    const results = calls.map((c) => kept.get(c.label) ?? fresh.get(c.label)!);
    for (const r of results) {
      // Asked again: its new answer replaces the old one, and a failure leaves none to keep later.
      if (r.ok && fresh.has(r.label)) writeRunFile(opts.root, runId, answerFile(r.label), r.text);
      else if (fresh.has(r.label)) removeRunFile(opts.root, runId, answerFile(r.label));
      roles.push({
        phase: name,
        role: r.label,
        model: r.model,
        ok: r.ok,
        ...(r.ok ? { file: answerFile(r.label) } : { error: r.error }),
        ...(kept.has(r.label) ? { kept: true } : {}),
      });
    }
    return results;
  };
  const fail = (kind: ErrorKind, message: string, hint?: string): never => {
    writeRunFile(opts.root, runId, 'outputs/roles.json', roles);
    updateRun(opts.root, runId, { status: 'failed', summary: `pipeline: ${message.slice(0, 120)}` });
    throw new MmError(kind, `${message} (run ${runId})`, hint ? { hint } : {});
  };

  try {
    // A. Analysis, with the files the task names.
    opts.onPhase?.('analysis');
    const named = withNamedFiles(analysisCalls(plan.analysis, plan.task), opts.cwd, opts.config, opts.registry);
    named.skipped.forEach((s) => opts.onSkipped?.(s));
    const analyses = await phase('analysis', named.calls, opts.cwd);
    if (!analyses.some((r) => r.ok))
      fail(statusKind(records, analyses[0]!.label), `no analysis role answered: ${errors(analyses)}`);

    // B. Synthesis into a Code Spec that validates, with one repair round.
    opts.onPhase?.('synthesis');
    const synthesis = synthesisCall(plan.synthesizer, plan.task, analyses, opts.template);
    // A resume keeps the synthesis only when nothing before it was asked again and its spec validated.
    const storedSpec = resume ? readRunFile(opts.root, runId, 'outputs/code_spec.md') : null;
    const keepSynthesis = asked === 0 && storedSpec !== null && validateSpec(storedSpec, 'code_spec.md').ok;
    // A spec from analyses asked again is stale: never kept by a later resume.
    if (resume && !keepSynthesis) removeRunFile(opts.root, runId, 'outputs/code_spec.md');
    const [first] = await phase('synthesis', [synthesis], opts.cwd, keepSynthesis);
    if (!first!.ok) fail(statusKind(records, 'synthesizer'), `the synthesiser did not answer: ${first!.error}`);
    let spec = specFromAnswer(okText(first!));
    let checked = validateSpec(spec, 'code_spec.md');
    let repaired = false;
    if (!checked.ok) {
      writeRunFile(opts.root, runId, 'outputs/code_spec.rejected.md', spec);
      const [second] = await phase(
        'synthesis',
        [repairCall(synthesis, spec, checked.problems)],
        opts.cwd,
        keepSynthesis,
      );
      if (!second!.ok)
        fail(statusKind(records, 'synthesizer-repair'), `the synthesiser's repair did not answer: ${second!.error}`);
      spec = specFromAnswer(okText(second!));
      checked = validateSpec(spec, 'code_spec.md');
      repaired = true;
    }
    writeRunFile(opts.root, runId, 'outputs/code_spec.md', spec);
    if (!checked.ok)
      fail(
        'invalid_output',
        `the synthesised Code Spec does not validate after one repair round: ${checked.problems
          .filter((p) => p.level === 'error')
          .map((p) => p.message)
          .join('; ')}`,
        `read .claude/mm/runs/${runId}/outputs/code_spec.md; mm handoff spec validate checks a fixed copy`,
      );

    // C. Implementation in a scratch clone; each proposal checked in its own clone.
    opts.onPhase?.('implementation');
    const { proposals, checks } = await withScratchWorktree(opts.root, async (scratch) => {
      const calls = withNamedFiles(implementationCalls(plan.implementation, spec), scratch, opts.config, opts.registry);
      calls.skipped.forEach((s) => opts.onSkipped?.(s));
      const before = asked;
      const proposals = await phase('implementation', calls.calls, scratch, keepSynthesis);
      const reviews = reviewCalls(plan.implementation, spec, proposals);
      // The reviewer read the proposals: asked again when any of them was.
      if (reviews.length) await phase('implementation', reviews, scratch, asked === before);
      return { proposals, checks: [] as CandidateCheck[] };
    });

    // D. Integration: apply, verify, compare; all in scratch clones.
    opts.onPhase?.('integration');
    for (const p of proposals)
      if (p.ok)
        checks.push(await checkCandidate(p.label, p.text, opts.root, opts.config, opts.env ?? process.env, opts.links));
    for (const c of checks) if (c.patch) writeRunFile(opts.root, runId, patchFile(c.role), c.patch);
    const report = integrate(runId, plan.task, await gitOk(['rev-parse', 'HEAD'], opts.root), roles, checks, {
      repaired,
      warnings: checked.problems,
    });
    writeRunFile(opts.root, runId, 'outputs/report.json', report);
    writeRunFile(opts.root, runId, 'outputs/report.md', pipelineMarkdown(report));
    updateRun(opts.root, runId, {
      status: 'done',
      summary: `pipeline: ${plan.task.slice(0, 60)}: ${report.recommended ? `${report.recommended} recommended` : 'no patch ready'}`,
    });
    return report;
  } catch (e) {
    if (!(e instanceof MmError && /\(run \S+\)$/.test(e.message)))
      updateRun(opts.root, runId, { status: 'failed', summary: `pipeline: ${(e as Error).message.slice(0, 120)}` });
    throw e;
  }
}

function integrate(
  runId: string,
  task: string,
  base: string,
  roles: RoleOutcome[],
  checks: CandidateCheck[],
  spec: { repaired: boolean; warnings: Problem[] },
): PipelineReport {
  const writers = new Map<string, string[]>();
  for (const c of checks) for (const f of c.files) writers.set(f, [...(writers.get(f) ?? []), c.role]);
  const conflicts = [...writers].filter(([, r]) => r.length > 1).map(([file, rs]) => ({ file, roles: rs }));
  const good = pickRecommended(checks);
  return {
    run_id: runId,
    task,
    base: base.trim(),
    roles,
    spec: { file: 'outputs/code_spec.md', ...spec },
    candidates: checks.map(({ patch, ...c }) => ({ ...c, ...(patch ? { patch_file: patchFile(c.role) } : {}) })),
    conflicts,
    recommended: good?.role ?? null,
    ...(good ? { recommended_why: good.why } : {}),
    ready: good !== undefined,
  };
}

const okText = (r: FanoutResult) => (r.ok ? r.text : '');
const errors = (rs: FanoutResult[]) => rs.map((r) => (r.ok ? '' : `${r.label}: ${r.error}`)).join('; ');

/** The error kind of a call's last attempt (its status), for the exit code. */
function statusKind(records: CallRecord[], label: string): ErrorKind {
  const status = records.findLast((r) => r.label === label)?.attempts.at(-1)?.status;
  return status && status !== 'ok' ? (status as ErrorKind) : 'failed';
}
