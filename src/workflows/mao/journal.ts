/**
 * `/journal` (mm journal): what a session's runs did, seen from three perspectives
 * (technical, process, lessons — mao-v2 "/journal V2"), then synthesised by Claude
 * (the orchestration model) into one entry. When Claude cannot be called headless, the
 * perspectives are returned for the Claude Code session itself to synthesise.
 */
import type { Config } from '../../config/schema.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { Registry } from '../../registry/registry.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import { summariseCheckpoints } from '../../runs/review-summary.ts';
import { readRunFile, type RunInfo } from '../../runs/store.ts';
import type { CallRecord } from '../fanout/run.ts';
import type { PlannedCall, FanoutResult } from '../fanout/types.ts';
import { assign, type Assignment } from './assign.ts';
import { fillTemplate } from '../../util/template.ts';
import perspectiveTemplate from './prompts/journal-perspective.md';
import synthesisTemplate from './prompts/journal-synthesis.md';
import answerTemplate from './prompts/journal-answer.md';
import noAnswerTemplate from './prompts/journal-no-answer.md';

const PERSPECTIVES = [
  {
    key: 'journal_technical',
    title: 'Technical summary',
    ask: 'Summarise what was built or decided: components, changes, verdicts, open problems.',
    chain: { primary: 'gemini-3.1-pro', fallback: ['claude-sonnet-4-6'] },
  },
  {
    key: 'journal_process',
    title: 'Process reflection',
    ask: 'Reflect on how the work went: what slowed it down, which steps failed or were retried, where models disagreed.',
    chain: { primary: 'claude-sonnet-4-6', fallback: [] },
  },
  {
    key: 'journal_insights',
    title: 'Lessons learned',
    ask: 'Draw lessons for next time: what to repeat, what to avoid, which model suited which job.',
    chain: { primary: 'gpt-5.2', fallback: ['claude-sonnet-4-6'] },
  },
] as const;

const EXCERPT_CHARS = 1500;
const DIGEST_CHARS = 24_000;

/**
 * The runs a journal covers: those of `session`, else those created since `since`.
 * Session runs are included: their checkpoint decisions and review records are much of
 * what a session did.
 */
export function selectRuns(runs: RunInfo[], opts: { session?: string | null; since?: Date }): RunInfo[] {
  return runs
    .filter((r) => r.kind !== 'journal')
    .filter((r) => (opts.session ? r.session === opts.session || r.run_id === opts.session : true))
    .filter((r) => (opts.since ? new Date(r.created) >= opts.since : true))
    .sort((a, b) => a.created.localeCompare(b.created));
}

/** A compact, bounded digest of the runs and excerpts of their outputs. */
export function digestRuns(root: string, runs: RunInfo[]): string {
  const parts: string[] = [];
  let used = 0;
  for (const run of runs) {
    const head = `## ${run.created} · ${run.kind} · ${run.status}\n${run.summary}`;
    const excerpts = run.files
      .filter((f) => f.startsWith('outputs/') && /\.(?:md|json|txt)$/.test(f))
      .slice(0, 4)
      .map((f) => `### ${f}\n${(readRunFile(root, run.run_id, f) ?? '').slice(0, EXCERPT_CHARS)}`);
    const block = [head, ...checkpointLines(run), ...excerpts].join('\n\n');
    if (used + block.length > DIGEST_CHARS) {
      parts.push(`(${runs.length - parts.length} more runs left out to keep the digest short)`);
      break;
    }
    parts.push(block);
    used += block.length;
  }
  return parts.join('\n\n');
}

/** A run's checkpoint decisions and reviews (session runs hold them), as short lists. */
function checkpointLines(run: RunInfo): string[] {
  if (!run.files.some((f) => f === 'checkpoints.jsonl' || f.startsWith('reviews/'))) return [];
  const { checkpoints, reviews } = summariseCheckpoints(run.dir);
  const out: string[] = [];
  if (checkpoints.length)
    out.push(
      `### Checkpoints\n${checkpoints.map((c) => `- ${c.at} ${c.checkpoint} (${c.mode}): ${c.action} — ${c.reason}`).join('\n')}`,
    );
  if (reviews.length) out.push(`### Reviews\n${reviews.map((r) => `- ${r.at} ${r.kind}: ${r.outcome}`).join('\n')}`);
  return out;
}

export function planJournal(config: Config, registry: Registry): Assignment[] {
  return PERSPECTIVES.map((p) =>
    assign(p.key, config, registry, { primary: p.chain.primary, fallback: [...p.chain.fallback] }),
  );
}

export function journalCalls(assignments: Assignment[], digest: string): PlannedCall[] {
  return PERSPECTIVES.map((p, i) => ({
    label: p.key.replace('journal_', ''),
    model: assignments[i]!.model,
    fallbacks: assignments[i]!.fallbacks,
    complexity: 'medium' as const,
    prompt: fillTemplate(perspectiveTemplate, { title: p.title, ask: p.ask, digest }),
    task: `journal:${p.key}`,
  }));
}

/** The entry's shape: one section per perspective, then what comes next. */
const ENTRY_SECTIONS = [...PERSPECTIVES.map((p) => p.title), 'Next steps'] as const;

/** What the synthesiser is asked: the perspectives in, one entry with fixed sections out. */
export function synthesisPrompt(bundle: string, date: string): string {
  return fillTemplate(synthesisTemplate, { date, sections: ENTRY_SECTIONS.join(', '), bundle });
}

/**
 * The synthesis call as the cost estimate sees it, before the perspectives exist: its
 * input is their answers (each up to `outputTokens`), so it is priced on that much text.
 */
export function synthesisPlan(model: string, perspectives: number, outputTokens: number): PlannedCall {
  return {
    label: 'synthesis',
    model,
    fallbacks: [],
    complexity: 'medium',
    prompt: synthesisPrompt(' '.repeat(perspectives * outputTokens * 4), 'today'),
    task: 'journal:synthesis',
  };
}

export interface JournalEntry {
  synthesized: boolean;
  /** The synthesiser's model, or null when the perspectives are handed to the session. */
  synthesizer: string | null;
  markdown: string;
  perspectives: FanoutResult[];
}

/** The perspectives' answers, in PERSPECTIVES order, as the synthesiser reads them. */
export function perspectivesBundle(perspectives: FanoutResult[]): string {
  return perspectives
    .map((p, i) =>
      fillTemplate(answerTemplate, {
        title: PERSPECTIVES[i]!.title,
        model: p.model,
        answer: p.ok ? p.text.trim() : fillTemplate(noAnswerTemplate, { error: p.error }),
      }),
    )
    .join('\n\n');
}

export async function synthesizeJournal(
  perspectives: FanoutResult[],
  opts: { invoke: InvokeFn; ctx: InvokeContext; cwd: string; model: string; date: string },
): Promise<JournalEntry> {
  const bundle = perspectivesBundle(perspectives);
  const prompt = synthesisPrompt(bundle, opts.date);
  let error: string;
  try {
    const reply = await opts.invoke(
      opts.model,
      { prompt, model: opts.model, cwd: opts.cwd, task: 'journal:synthesis' },
      opts.ctx,
    );
    if (reply.status === 'ok' && reply.text.trim()) {
      const missing = perspectives.flatMap((p, i) =>
        p.ok ? [] : [`${PERSPECTIVES[i]!.title} (${p.model}: ${p.error})`],
      );
      const note = missing.length ? `\n> Partial: could not answer: ${missing.join('; ')}.\n` : '';
      return {
        synthesized: true,
        synthesizer: reply.model || opts.model,
        markdown: `# Journal — ${opts.date}\n\n${reply.text.trim()}\n${note}`,
        perspectives,
      };
    }
    error = `${reply.status}${reply.error ? `: ${reply.error}` : ''}`;
  } catch (e) {
    error = (e as Error).message;
  }
  return {
    synthesized: false,
    synthesizer: null,
    markdown: `# Journal — ${opts.date} (perspectives; synthesis pending)\n\n> Synthesis by ${opts.model} was not available (${error}). Claude: synthesise these perspectives into one entry.\n\n${bundle}\n`,
    perspectives,
  };
}

export interface JournalOutcome {
  /** True when no perspective answered: the journal failed (the CLI exits with `status`'s code). */
  failed: boolean;
  /** The status of the first perspective that could not answer ("ok" when all answered). */
  status: InvokeStatus;
  /** Perspectives that could not answer, e.g. "process (timeout)". */
  missing: string[];
}

/** A journal with no perspective at all is a failure; a partial one counts but names what is missing. */
export function journalOutcome(results: FanoutResult[], records: CallRecord[]): JournalOutcome {
  const statusOf = (label: string): InvokeStatus =>
    (records.find((r) => r.label === label)?.attempts.at(-1)?.status as InvokeStatus | undefined) ?? 'failed';
  const failed = results.filter((r) => !r.ok);
  return {
    failed: failed.length === results.length,
    status: failed[0] ? statusOf(failed[0].label) : 'ok',
    missing: failed.map((r) => `${r.label} (${statusOf(r.label)})`),
  };
}
