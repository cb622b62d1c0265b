/**
 * `mm develop run` as the design's pipeline. Phases 1–4: the workstreams run stage by
 * stage (Phase 0's graph), each stage in parallel, each workstream seeing the answers of
 * the ones it builds on. Phase 5: the answers are collected in an isolated checkout (a
 * clone at HEAD plus the user's uncommitted work, never the user's tree), conflicts are
 * settled (develop-conflicts.ts), the configured verification commands run there, and
 * one report plus the combined patch go to the run store. Only `mm develop apply <run>`
 * touches the user's tree. `mm runs resume` re-runs the failed workstreams (and the ones
 * built on them) in stage order, then Phase 5 again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, gitOk, repoRoot } from '../../git/git.ts';
import { CloneSet } from '../../git/temp-clones.ts';
import { onInterrupt } from '../../process/runner.ts';
import { createRun, readRunJson, updateRun, writeRunFile } from '../../runs/store.ts';
import { MmError } from '../../util/errors.ts';
import { answerFile, runCalls, type ExecuteOptions } from '../fanout/execute.ts';
import { extractCandidate } from '../fanout/materialize.ts';
import type { CallRecord } from '../fanout/run.ts';
import { summarize, type FanoutOutput, type FanoutResult, type PlannedCall } from '../fanout/types.ts';
import { linkIgnored } from '../../git/links.ts';
import { runVerification, type VerifyResult } from '../referee/run-tests.ts';
import { detectConflicts, settleConflicts, type Conflict, type Written } from './develop-conflicts.ts';
import { commitAll, isolatedCheckout } from './develop-checkout.ts';
import { sectionOfLabel, type WorkstreamGraph } from './develop-graph.ts';
import { fillTemplate } from '../../util/template.ts';
import dependencyTemplate from './prompts/dependency-output.md';

const DEPENDENCY_CHARS = 12_000;

export interface PipelineOptions extends ExecuteOptions {
  /** Where the stages started, in order (for tests and the report). */
  onStage?: (stage: string[]) => void;
  /** Phase 5 progress (conflicts, verification). */
  say?: (line: string) => void;
}

export interface DevelopReport {
  run_id: string;
  /** The user's HEAD. */
  base: string;
  /** Uncommitted paths of the user's tree carried into the isolated checkout (the patch applies on top of them). */
  carried: string[];
  stages: string[][];
  results: FanoutResult[];
  /** Per workstream: the files it wrote, or why it wrote none. */
  collected: Array<{ workstream: string; files: string[]; note?: string }>;
  /** Same file or same symbol written by two workstreams, and how each was settled. */
  conflicts: Conflict[];
  verification: VerifyResult[];
  /** Files changed by the combined patch (outputs/develop.patch). */
  changed: string[];
  /** True when every workstream answered, every conflict was settled and every check passed. */
  ready: boolean;
}

/** What inputs/calls.json of a develop run holds. */
export interface DevelopInputs {
  kind: 'develop';
  calls: PlannedCall[];
  graph: WorkstreamGraph;
  task: string;
  /** `--link`: untracked paths of the user's tree symlinked into the checkout (kept for a resume). */
  links?: string[];
  [key: string]: unknown;
}

/** A dependency's answer, as the workstream after it sees it. */
export function withDependencies(call: PlannedCall, deps: FanoutResult[]): PlannedCall {
  const ok = deps.filter((d): d is Extract<FanoutResult, { ok: true }> => d.ok);
  if (ok.length === 0) return call;
  const context = ok
    .map((d) => fillTemplate(dependencyTemplate, { workstream: d.label, output: d.text.slice(0, DEPENDENCY_CHARS) }))
    .join('\n\n');
  return { ...call, prompt: `${call.prompt}\n\n${context}` };
}

export async function runDevelopPipeline(
  calls: PlannedCall[],
  graph: WorkstreamGraph,
  opts: PipelineOptions,
  summary: string,
  extraInputs: { task: string; links?: string[] } & Record<string, unknown>,
): Promise<DevelopReport> {
  const run = createRun(opts.root, 'develop', { env: opts.env, summary });
  const inputs: DevelopInputs = { kind: 'develop', calls, graph, ...extraInputs };
  writeRunFile(opts.root, run.run_id, 'inputs/calls.json', inputs);
  return stagesThenCollect(run.run_id, inputs, new Map(), [], opts, summary);
}

/**
 * The workstreams a resume re-runs: the failed ones and every one built on them (they
 * ran without that output), so a resume honours the stages as the first run did.
 */
export function developPending(runId: string, root: string): { inputs: DevelopInputs; todo: string[] } {
  const inputs = readRunJson<DevelopInputs>(root, runId, 'inputs/calls.json');
  if (!inputs?.graph) throw new MmError('input', `run ${runId} has no stored workstream graph: not a develop run`);
  const previous = readRunJson<FanoutOutput>(root, runId, 'outputs/results.json');
  const ok = new Set(previous?.results.filter((r) => r.ok).map((r) => r.label) ?? []);
  const todo = new Set<string>();
  for (const w of inputs.graph.stages.flat())
    if (!ok.has(w) || inputs.graph.edges[w]!.some((d) => todo.has(d))) todo.add(w);
  return { inputs, todo: [...todo] };
}

export async function resumeDevelop(
  runId: string,
  opts: PipelineOptions,
): Promise<DevelopReport & { rerun: string[] }> {
  const { inputs, todo } = developPending(runId, opts.root);
  const previous = readRunJson<FanoutOutput>(opts.root, runId, 'outputs/results.json');
  const kept = new Map(
    (previous?.results ?? []).filter((r) => r.ok && !todo.includes(r.label)).map((r) => [r.label, r] as const),
  );
  const records = readRunJson<CallRecord[]>(opts.root, runId, 'outputs/attempts.json') ?? [];
  const summary = `develop (resumed): ${inputs.task.slice(0, 60)}`;
  const report = await stagesThenCollect(runId, inputs, kept, records, opts, summary);
  return { ...report, rerun: todo };
}

async function stagesThenCollect(
  runId: string,
  inputs: DevelopInputs,
  results: Map<string, FanoutResult>,
  previousRecords: CallRecord[],
  opts: PipelineOptions,
  summary: string,
): Promise<DevelopReport> {
  const { calls, graph } = inputs;
  const records = new Map(previousRecords.map((r) => [r.label, r] as const));
  for (const stage of graph.stages) {
    const todo = stage.filter((w) => !results.has(w));
    if (todo.length === 0) continue;
    opts.onStage?.(todo);
    const stageCalls = todo.map((w) =>
      withDependencies(
        calls.find((c) => c.label === w)!,
        graph.edges[w]!.map((d) => results.get(d)!),
      ),
    );
    const out = await runCalls(stageCalls, opts, runId);
    out.results.forEach((r) => results.set(r.label, r));
    out.records.forEach((r) => records.set(r.label, r));
  }
  const ordered = graph.stages.flat().map((w) => results.get(w)!);
  writeRunFile(opts.root, runId, 'outputs/results.json', summarize(ordered));
  writeRunFile(opts.root, runId, 'outputs/attempts.json', [...records.values()]);
  for (const r of ordered) if (r.ok) writeRunFile(opts.root, runId, answerFile(r.label), r.text);
  const report = await collect(runId, ordered, inputs, opts);
  writeRunFile(opts.root, runId, 'outputs/report.json', report);
  writeRunFile(opts.root, runId, 'outputs/report.md', reportMarkdown(report));
  updateRun(opts.root, runId, {
    status: ordered.some((r) => r.ok) ? 'done' : 'failed',
    summary: `${summary}: ${ordered.filter((r) => r.ok).length}/${ordered.length} ok, ${report.conflicts.length} conflicts, ${report.ready ? 'ready to apply' : 'needs review'}`,
  });
  return report;
}

/** Phase 5 in an isolated checkout, removed afterwards whatever happens (Ctrl-C included). */
async function collect(
  runId: string,
  results: FanoutResult[],
  inputs: DevelopInputs,
  opts: PipelineOptions,
): Promise<DevelopReport> {
  const repo = await repoRoot(opts.cwd);
  const clones = new CloneSet(repo, undefined, 'mm-develop-');
  const offInterrupt = onInterrupt(() => clones.removeAllSync());
  try {
    const co = await isolatedCheckout(repo, clones);
    const clone = co.dir;
    // After the snapshot: the links are never part of it, nor of the patch.
    linkIgnored(inputs.links ?? [], repo, clone);
    const written: Written[] = [];
    const collected: DevelopReport['collected'] = [];
    for (const r of results) {
      if (!r.ok) {
        collected.push({ workstream: r.label, files: [], note: `no answer: ${r.error}` });
        continue;
      }
      const c = extractCandidate(r.text);
      let files: string[] = [];
      let note: string | undefined;
      if (c.kind === 'files') {
        for (const f of c.files) {
          mkdirSync(dirname(join(clone, f.path)), { recursive: true });
          writeFileSync(join(clone, f.path), f.content);
        }
        files = c.files.map((f) => f.path);
      } else if (c.kind === 'patch') {
        const patchFile = join(clones.base, `${r.label}.patch`);
        writeFileSync(patchFile, c.patch);
        const applied = await git(['apply', '--whitespace=nowarn', patchFile], clone);
        if (applied.code === 0) files = [...c.patch.matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]!);
        else note = `its patch does not apply: ${applied.stderr.trim().split('\n')[0]}`;
      } else note = c.reason;
      written.push({
        workstream: r.label,
        group: sectionOfLabel(r.label),
        files: Object.fromEntries(
          files.filter((f) => existsSync(join(clone, f))).map((f) => [f, readFileSync(join(clone, f), 'utf8')]),
        ),
      });
      collected.push({ workstream: r.label, files, ...(note ? { note } : {}) });
    }
    const dev = opts.config.develop;
    const conflicts = await settleConflicts(detectConflicts(written), written, {
      checkout: clone,
      scratch: clones.base,
      root: opts.root,
      env: opts.env ?? process.env,
      verify: dev.verify,
      verifyTimeoutSec: dev.verify_timeout_seconds,
      task: inputs.task,
      invoke: opts.invoke,
      ctx: opts.ctx,
      cwd: opts.cwd,
      synthesizer: dev.synthesizer ?? opts.config.models.defaults.orchestration,
      commit: (message) => commitAll(clone, message),
      links: inputs.links ?? [],
      say: opts.say,
    });
    const verification = await runVerification(dev.verify, clone, dev.verify_timeout_seconds * 1000, opts.env, (c) =>
      opts.say?.(`verify: ${c}`),
    );
    // Against the snapshot (HEAD + the user's uncommitted work): the patch applies to the user's tree as it is.
    await gitOk(['add', '-A'], clone);
    const patch = await gitOk(['diff', '--cached', '--binary', co.snapshot], clone);
    const changed = (await gitOk(['diff', '--cached', '--name-only', co.snapshot], clone)).split('\n').filter(Boolean);
    writeRunFile(opts.root, runId, 'outputs/develop.patch', patch);
    return {
      run_id: runId,
      base: co.head,
      carried: co.carried,
      stages: inputs.graph.stages,
      results,
      collected,
      conflicts,
      verification,
      changed,
      ready:
        results.every((r) => r.ok) &&
        conflicts.every((c) => c.settled_by !== 'unsettled') &&
        verification.every((v) => v.passed) &&
        changed.length > 0,
    };
  } finally {
    offInterrupt();
    clones.removeAllSync();
  }
}

export function reportMarkdown(r: DevelopReport): string {
  return [
    `# Develop report — ${r.ready ? 'ready to apply' : 'needs review'}`,
    '',
    `Base ${r.base.slice(0, 12)}${r.carried.length ? ` + your uncommitted work (${r.carried.length} file(s))` : ''} · stages: ${r.stages.map((s) => s.join(' + ')).join(' → ')}`,
    '',
    '## Workstreams',
    ...r.collected.map(
      (c) =>
        `- ${c.workstream}: ${c.files.length ? c.files.map((f) => `\`${f}\``).join(', ') : `nothing written (${c.note})`}`,
    ),
    '',
    '## Conflicts',
    ...(r.conflicts.length
      ? r.conflicts.map(
          (c) =>
            `- ${c.kind === 'symbol' ? `symbol \`${c.symbol}\` in ${c.files!.map((f) => `\`${f}\``).join(', ')}` : `\`${c.file}\``} written by ${c.workstreams.join(' and ')}: ${SETTLED[c.settled_by]} — ${c.reason}${c.referee_run ? ` (referee run ${c.referee_run})` : ''}`,
        )
      : ['None.']),
    '',
    '## Verification',
    ...(r.verification.length
      ? r.verification.map(
          (v) =>
            `- ${v.passed ? 'passed' : v.timedOut ? 'timed out' : `failed (exit ${v.exitCode})`}: \`${v.command}\``,
        )
      : ['No commands configured ([develop] verify).']),
    '',
    `Apply to your tree after review: mm develop apply ${r.run_id}`,
    '',
  ].join('\n');
}

const SETTLED: Record<Conflict['settled_by'], string> = {
  referee: 'settled by tests (referee)',
  synthesizer: 'merged by the synthesiser',
  unsettled: 'NOT settled',
};
