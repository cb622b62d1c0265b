/**
 * `mm develop run` as the design's pipeline. Phases 1–4: the workstreams run stage by
 * stage (develop-graph.ts), each stage in parallel, each workstream seeing the answers
 * of the ones it builds on. Phase 5: the answers are collected in an isolated checkout
 * (a separate clone of the repository at HEAD, never the user's tree), files written by
 * two workstreams are reported as conflicts, the configured verification commands run
 * there, and one report plus the combined patch go to the run store. Only
 * `mm develop apply <run>` touches the user's tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitOk } from '../../git/git.ts';
import { createRun, updateRun, writeRunFile } from '../../runs/store.ts';
import { answerFile, limitsFrom, type ExecuteOptions } from '../fanout/execute.ts';
import { extractCandidate } from '../fanout/materialize.ts';
import { providerKeyOf, runFanout, type CallRecord } from '../fanout/run.ts';
import { summarize, type FanoutResult, type PlannedCall } from '../fanout/types.ts';
import { runTestCommand } from '../referee/run-tests.ts';
import type { WorkstreamGraph } from './develop-graph.ts';

const DEPENDENCY_CHARS = 12_000;

export interface PipelineOptions extends ExecuteOptions {
  /** Where the stages started, in order (for tests and the report). */
  onStage?: (stage: string[]) => void;
}

export interface Conflict {
  file: string;
  /** The workstreams that wrote it, in stage order; the last one's version is kept. */
  workstreams: string[];
}

export interface VerifyResult {
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  outputTail: string;
}

export interface DevelopReport {
  run_id: string;
  base: string;
  stages: string[][];
  results: FanoutResult[];
  /** Per workstream: the files it wrote, or why it wrote none. */
  collected: Array<{ workstream: string; files: string[]; note?: string }>;
  conflicts: Conflict[];
  verification: VerifyResult[];
  /** Files changed by the combined patch (outputs/develop.patch). */
  changed: string[];
  /** True when every workstream answered, nothing conflicted and every check passed. */
  ready: boolean;
}

/** A dependency's answer, as the workstream after it sees it. */
export function withDependencies(call: PlannedCall, deps: FanoutResult[]): PlannedCall {
  const ok = deps.filter((d): d is Extract<FanoutResult, { ok: true }> => d.ok);
  if (ok.length === 0) return call;
  const context = ok
    .map(
      (d) =>
        `### Output of the ${d.label} workstream (build on its interface; do not rewrite it)\n\n${d.text.slice(0, DEPENDENCY_CHARS)}`,
    )
    .join('\n\n');
  return { ...call, prompt: `${call.prompt}\n\n${context}` };
}

export async function runDevelopPipeline(
  calls: PlannedCall[],
  graph: WorkstreamGraph,
  opts: PipelineOptions,
  summary: string,
  extraInputs: Record<string, unknown>,
): Promise<DevelopReport> {
  const run = createRun(opts.root, 'develop', { env: opts.env, summary });
  writeRunFile(opts.root, run.run_id, 'inputs/calls.json', { kind: 'develop', calls, graph, ...extraInputs });
  const results = new Map<string, FanoutResult>();
  const records: CallRecord[] = [];
  for (const stage of graph.stages) {
    opts.onStage?.(stage);
    const stageCalls = stage.map((w) =>
      withDependencies(
        calls.find((c) => c.label === w)!,
        graph.edges[w]!.map((d) => results.get(d)!),
      ),
    );
    const out = await runFanout(stageCalls, {
      invoke: opts.invoke,
      ctx: opts.ctx,
      cwd: opts.cwd,
      providerOf: providerKeyOf(opts.registry),
      limitFor: limitsFrom(opts.config),
      timeoutMs: opts.timeoutMs,
      checkpoint: run.run_id,
      onProgress: opts.onProgress,
    });
    out.results.forEach((r) => results.set(r.label, r));
    records.push(...out.records);
  }
  const ordered = graph.stages.flat().map((w) => results.get(w)!);
  writeRunFile(opts.root, run.run_id, 'outputs/results.json', summarize(ordered));
  writeRunFile(opts.root, run.run_id, 'outputs/attempts.json', records);
  for (const r of ordered) if (r.ok) writeRunFile(opts.root, run.run_id, answerFile(r.label), r.text);
  const report = await collect(run.run_id, ordered, graph, opts);
  writeRunFile(opts.root, run.run_id, 'outputs/report.json', report);
  writeRunFile(opts.root, run.run_id, 'outputs/report.md', reportMarkdown(report));
  updateRun(opts.root, run.run_id, {
    status: ordered.some((r) => r.ok) ? 'done' : 'failed',
    summary: `${summary}: ${ordered.filter((r) => r.ok).length}/${ordered.length} ok, ${report.conflicts.length} conflicts, ${report.ready ? 'ready to apply' : 'needs review'}`,
  });
  return report;
}

/** Phase 5 in a separate clone, removed afterwards whatever happens. */
async function collect(
  runId: string,
  results: FanoutResult[],
  graph: WorkstreamGraph,
  opts: PipelineOptions,
): Promise<DevelopReport> {
  const base = (await gitOk(['rev-parse', 'HEAD'], opts.root)).trim();
  const scratch = mkdtempSync(join(tmpdir(), 'mm-develop-'));
  const clone = join(scratch, 'checkout');
  try {
    await gitOk(['clone', '--quiet', '--no-hardlinks', opts.root, clone], scratch);
    await gitOk(['checkout', '--quiet', '--detach', base], clone);
    const writers = new Map<string, string[]>();
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
        const patchFile = join(scratch, `${r.label}.patch`);
        writeFileSync(patchFile, c.patch);
        const applied = await git(['apply', '--whitespace=nowarn', patchFile], clone);
        if (applied.code === 0) files = [...c.patch.matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]!);
        else note = `its patch does not apply: ${applied.stderr.trim().split('\n')[0]}`;
      } else note = c.reason;
      for (const f of files) writers.set(f, [...(writers.get(f) ?? []), r.label]);
      collected.push({ workstream: r.label, files, ...(note ? { note } : {}) });
    }
    const conflicts = [...writers]
      .filter(([, ws]) => ws.length > 1)
      .map(([file, workstreams]) => ({ file, workstreams }));
    const verification: VerifyResult[] = [];
    for (const command of opts.config.develop.verify) {
      const t = await runTestCommand(command, clone, opts.config.develop.verify_timeout_seconds * 1000, opts.env);
      verification.push({
        command,
        passed: t.passed,
        exitCode: t.exitCode,
        timedOut: t.timedOut,
        outputTail: t.output.split('\n').slice(-20).join('\n'),
      });
    }
    await gitOk(['add', '-A'], clone);
    const patch = await gitOk(['diff', '--cached', '--binary', base], clone);
    const changed = (await gitOk(['diff', '--cached', '--name-only', base], clone)).split('\n').filter(Boolean);
    writeRunFile(opts.root, runId, 'outputs/develop.patch', patch);
    return {
      run_id: runId,
      base,
      stages: graph.stages,
      results,
      collected,
      conflicts,
      verification,
      changed,
      ready:
        results.every((r) => r.ok) &&
        conflicts.length === 0 &&
        verification.every((v) => v.passed) &&
        changed.length > 0,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function reportMarkdown(r: DevelopReport): string {
  return [
    `# Develop report — ${r.ready ? 'ready to apply' : 'needs review'}`,
    '',
    `Base ${r.base.slice(0, 12)} · stages: ${r.stages.map((s) => s.join(' + ')).join(' → ')}`,
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
          (c) => `- \`${c.file}\` written by ${c.workstreams.join(' and ')}; kept ${c.workstreams.at(-1)}'s version`,
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
