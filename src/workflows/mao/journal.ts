/**
 * `/journal` (mm journal): what a session's runs did, seen from three perspectives
 * (technical, process, lessons — mao-v2 "/journal V2"), then synthesised by Claude
 * (the orchestration model) into one entry. When Claude cannot be called headless, the
 * perspectives are returned for the Claude Code session itself to synthesise.
 */
import type { Config } from '../../config/schema.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { Registry } from '../../registry/registry.ts';
import { readRunFile, type RunInfo } from '../../runs/store.ts';
import type { PlannedCall, FanoutResult } from '../fanout/types.ts';
import { assign, type Assignment } from './assign.ts';

export const PERSPECTIVES = [
  { key: 'journal_technical', title: 'Technical summary', ask: 'Summarise what was built or decided: components, changes, verdicts, open problems.', chain: { primary: 'gemini-3.1-pro', fallback: ['claude-sonnet-4-6'] } },
  { key: 'journal_process', title: 'Process reflection', ask: 'Reflect on how the work went: what slowed it down, which steps failed or were retried, where models disagreed.', chain: { primary: 'claude-sonnet-4-6', fallback: [] } },
  { key: 'journal_insights', title: 'Lessons learned', ask: 'Draw lessons for next time: what to repeat, what to avoid, which model suited which job.', chain: { primary: 'gpt-5.2', fallback: ['claude-sonnet-4-6'] } },
] as const;

const EXCERPT_CHARS = 1500;
const DIGEST_CHARS = 24_000;

/** The runs a journal covers: those of `session`, else those created since `since`. */
export function selectRuns(runs: RunInfo[], opts: { session?: string | null; since?: Date }): RunInfo[] {
  return runs
    .filter((r) => r.kind !== 'journal' && r.kind !== 'session')
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
      .filter((f) => f.startsWith('outputs/') && /\.(md|json|txt)$/.test(f))
      .slice(0, 4)
      .map((f) => `### ${f}\n${(readRunFile(root, run.run_id, f) ?? '').slice(0, EXCERPT_CHARS)}`);
    const block = [head, ...excerpts].join('\n\n');
    if (used + block.length > DIGEST_CHARS) {
      parts.push(`(${runs.length - parts.length} more runs left out to keep the digest short)`);
      break;
    }
    parts.push(block);
    used += block.length;
  }
  return parts.join('\n\n');
}

export function planJournal(config: Config, registry: Registry): Assignment[] {
  return PERSPECTIVES.map((p) => assign(p.key, config, registry, { primary: p.chain.primary, fallback: [...p.chain.fallback] }));
}

export function journalCalls(assignments: Assignment[], digest: string): PlannedCall[] {
  return PERSPECTIVES.map((p, i) => ({
    label: p.key.replace('journal_', ''),
    model: assignments[i]!.model,
    fallbacks: assignments[i]!.fallbacks,
    complexity: 'medium' as const,
    prompt: `${p.title}. ${p.ask}\nBe concrete and brief (at most 12 bullet points). The session's runs:\n\n${digest}`,
    task: `journal:${p.key}`,
  }));
}

export interface JournalEntry {
  synthesized: boolean;
  /** The synthesiser's model, or null when the perspectives are handed to the session. */
  synthesizer: string | null;
  markdown: string;
  perspectives: FanoutResult[];
}

export async function synthesizeJournal(
  perspectives: FanoutResult[],
  opts: { invoke: InvokeFn; ctx: InvokeContext; cwd: string; model: string; date: string },
): Promise<JournalEntry> {
  const sections = perspectives.map((p, i) => `## ${PERSPECTIVES[i]!.title} (${p.model})\n\n${p.ok ? p.text.trim() : `_not available: ${p.error}_`}`);
  const bundle = sections.join('\n\n');
  const prompt = `Write one journal entry for this working session (${opts.date}) from these perspectives. Resolve contradictions, keep what matters, end with next steps.\n\n${bundle}`;
  let error = '';
  try {
    const reply = await opts.invoke(opts.model, { prompt, model: opts.model, cwd: opts.cwd, task: 'journal:synthesis' }, opts.ctx);
    if (reply.status === 'ok' && reply.text.trim()) {
      return { synthesized: true, synthesizer: reply.model || opts.model, markdown: `# Journal — ${opts.date}\n\n${reply.text.trim()}\n`, perspectives };
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
