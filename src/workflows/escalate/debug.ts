/**
 * Debug escalation (§5.3, Pattern D, usage spec Pattern 2). Always asked, never
 * automatic. Below the cycle threshold: keep going with Claude. At or above: offer the
 * options; once one is chosen, send the full error context, what was tried and the
 * "re-check against repo reality" instruction. Codex may edit and run only inside a
 * scratch clone. The result is an analysis: the fix goes back to a Claude agent.
 */
import { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import { decideCheckpoint, type CheckpointDecision } from '../checkpoint.ts';
import { withScratchWorktree } from '../../git/scratch-worktree.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import { RECHECK_INSTRUCTION } from '../../providers/task-kinds.ts';
import { jsonSchemaOf } from '../review/verdicts.ts';
import { invokeStructured } from '../structured.ts';

export type DebugOption = 'claude' | 'codex' | 'gemini';

export const debugAnalysisSchema = z
  .object({
    root_cause: z.string().min(1),
    confidence: z.enum(['low', 'medium', 'high']),
    evidence: z.array(z.string()),
    reproduced: z.boolean(),
    rechecked_against_repo: z.boolean(),
    proposed_fix: z
      .object({ summary: z.string(), files: z.array(z.object({ path: z.string(), change: z.string() }).strict()) })
      .strict(),
    next_steps: z.array(z.string()),
  })
  .strict();
type DebugAnalysis = z.infer<typeof debugAnalysisSchema>;

export interface OptionInfo {
  option: DebugOption;
  label: string;
  model: string;
}

/**
 * The checkpoint decision once an option is chosen. Escalation is always confirmed (§5.3),
 * even when chosen by name; and a chosen option is the user's explicit request, so
 * checkpoints.debug_escalation = "off" does not veto it: it still needs --yes.
 */
export function decideEscalation(input: {
  config: Config;
  cycles: number;
  option: DebugOption;
  confirmed: boolean;
}): CheckpointDecision {
  const threshold = input.config.thresholds.suggest_codex_debug_after_cycles;
  const decision = decideCheckpoint({
    name: 'debug_escalation',
    mode: input.config.checkpoints.debug_escalation,
    triggered: input.cycles >= threshold,
    trigger: `${input.cycles} failed debug cycle(s) (threshold ${threshold}); option "${input.option}" chosen`,
    explicit: false,
    confirmed: input.confirmed,
    alwaysAsk: true,
  });
  if (decision.action !== 'skip') return decision;
  if (input.confirmed) return { ...decision, action: 'run', reason: `${decision.reason}; run on explicit request` };
  return {
    ...decision,
    action: 'ask',
    reason: `checkpoints.debug_escalation = "off", but option "${input.option}" was chosen explicitly: confirm with the user, then re-run with --yes`,
  };
}

export function debugOptions(config: Config): OptionInfo[] {
  return [
    {
      option: 'claude',
      label: 'Continue with Claude (a different approach, no external call)',
      model: config.models.defaults.implementation,
    },
    {
      option: 'codex',
      label: `Escalate to Codex (independent investigation, ${config.models.effort_policy.debugging_escalated.codex} reasoning, in a scratch clone)`,
      model: config.models.codex.default_model,
    },
    {
      option: 'gemini',
      label: 'Escalate to Gemini (codebase analysis, read-only)',
      model: config.models.gemini.default_model,
    },
  ];
}

/** Keep head and tail of a long log: the first frames and the final summary matter most. */
function boundText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  return `${text.slice(0, half)}\n[… ${text.length - maxChars} characters omitted …]\n${text.slice(-half)}`;
}

function debugPrompt(input: {
  error: string;
  tried: string;
  files: string[];
  scratch: boolean;
  related?: string[];
}): string {
  return [
    'Independent debugging investigation.',
    'Error and stack trace / failing output:',
    '<<<ERROR',
    boundText(input.error, 300_000),
    'ERROR>>>',
    `Already tried:\n${input.tried.trim() || '(nothing recorded)'}`,
    `Files of interest: ${input.files.length ? input.files.join(', ') : '(none named: find them)'}`,
    ...(input.related?.length ? ['Linked to them by the repo map (ai/repo.map.json):', ...input.related] : []),
    '',
    'Investigate independently. Do not assume previous conclusions are correct.',
    'Find the root cause and propose a minimal fix.',
    input.scratch
      ? 'You are in a scratch copy of the repository (a throwaway git clone). Reproduce the issue and test hypotheses there if you can; it is deleted afterwards, so describe the fix, do not rely on your edits.'
      : 'Read the repository; do not modify it.',
    // Every option gets it (the Codex adapter would add it for debugging tasks; Gemini would not).
    RECHECK_INSTRUCTION,
    `Reply with ONE JSON object and nothing else, matching this JSON Schema:\n${JSON.stringify(jsonSchemaOf(debugAnalysisSchema))}`,
  ].join('\n');
}

export interface EscalationResult {
  option: DebugOption;
  model: string;
  status: InvokeStatus;
  analysis?: DebugAnalysis;
  error?: string;
  /** Where Codex worked (already removed), so a reader knows it was not the user's tree. */
  scratch?: string;
  costUsd: number | null;
}

export async function escalateDebug(input: {
  option: Exclude<DebugOption, 'claude'>;
  error: string;
  tried: string;
  files: string[];
  /** Lines naming files the repo map links to `files` (with their exported symbols). */
  related?: string[];
  config: Config;
  root: string;
  invoke: InvokeFn;
  ctx: InvokeContext;
}): Promise<EscalationResult> {
  const { config } = input;
  const codex = input.option === 'codex';
  const model = codex ? config.models.codex.default_model : config.models.gemini.default_model;
  const call = async (cwd: string) =>
    invokeStructured(
      input.invoke,
      input.option,
      {
        prompt: debugPrompt({
          error: input.error,
          tried: input.tried,
          files: input.files,
          scratch: codex,
          related: input.related,
        }),
        model,
        effort: codex ? config.models.effort_policy.debugging_escalated.codex : undefined,
        sandbox: codex ? 'workspace-write' : 'read-only',
        schema: jsonSchemaOf(debugAnalysisSchema),
        cwd,
        task: 'debugging_escalated',
        checkpoint: 'debug_escalation',
        // The option the user chose, or nothing: never a model they did not pick.
        fallback: false,
        timeoutMs: 1000 * (codex ? config.models.codex.timeout_seconds : config.models.gemini.timeout_seconds),
      },
      input.ctx,
      debugAnalysisSchema,
    );
  let scratch: string | undefined;
  const r = codex
    ? await withScratchWorktree(input.root, (dir) => {
        scratch = dir;
        return call(dir);
      })
    : await call(input.root);
  const base = { option: input.option, model, scratch, costUsd: r.result.costUsd };
  return r.ok ? { ...base, status: 'ok', analysis: r.value } : { ...base, status: r.status, error: r.error };
}
