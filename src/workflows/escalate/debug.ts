/**
 * Debug escalation (§5.3, Pattern D, usage spec Pattern 2). Always asked, never
 * automatic. Below the cycle threshold: keep going with Claude. At or above: offer the
 * options; once one is chosen, send the full error context, what was tried and the
 * "re-check against repo reality" instruction. Codex and Gemini read the repository
 * read-only; only the sandbox option (offered when the failure looks environment-specific,
 * see environment-signals.ts) lets Codex write and run, in a secret-free copy, and its
 * edits come back as a patch for review. Nothing is applied: the fix goes to a Claude agent.
 */
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import { decideCheckpoint, type CheckpointDecision } from '../checkpoint.ts';
import { changeInCopy, withSandboxCopy } from '../../git/sandbox-copy.ts';
import { secretPathMatcher } from '../../secrets/paths.ts';
import type { EnvironmentVerdict } from './environment-signals.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import { RECHECK_INSTRUCTION } from '../../providers/task-kinds.ts';
import { jsonSchemaOf } from '../review/verdicts.ts';
import { invokeStructured } from '../structured.ts';
import { fillTemplate } from '../../util/template.ts';
import debugTemplate from './prompts/debug.md';
import environmentSignalsTemplate from './prompts/environment-signals.md';
import environmentUserTemplate from './prompts/environment-user.md';
import readOnlyTemplate from './prompts/read-only.md';
import relatedTemplate from './prompts/related.md';
import sandboxTemplate from './prompts/sandbox.md';

export type DebugOption = 'claude' | 'codex' | 'gemini' | 'sandbox';

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

/** The options at the threshold; the sandbox only for an environment-specific failure. */
export function debugOptions(config: Config, environment?: EnvironmentVerdict): OptionInfo[] {
  const options: OptionInfo[] = [
    {
      option: 'claude',
      label: 'Continue with Claude (a different approach, no external call)',
      model: config.models.defaults.implementation,
    },
    {
      option: 'codex',
      label: `Escalate to Codex (independent investigation, ${config.models.effort_policy.debugging_escalated.codex} reasoning, read-only)`,
      model: config.models.codex.default_model,
    },
    {
      option: 'gemini',
      label: 'Escalate to Gemini (codebase analysis, read-only)',
      model: config.models.gemini.default_model,
    },
  ];
  if (environment?.specific)
    options.push({
      option: 'sandbox',
      label:
        'Reproduce in a Codex sandbox (workspace-write in an isolated copy without secret files; its edits come back as a patch for review, never applied)',
      model: config.models.codex.default_model,
    });
  return options;
}

/** Keep head and tail of a long log: the first frames and the final summary matter most. */
function boundText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const half = Math.floor(maxChars / 2);
  return `${text.slice(0, half)}\n[… ${text.length - maxChars} characters omitted …]\n${text.slice(-half)}`;
}

export function debugPrompt(input: {
  error: string;
  tried: string;
  files: string[];
  /** Codex in the sandbox copy (may write and run) rather than read-only in the repo. */
  sandbox: boolean;
  related?: string[];
  /** Why the failure looks environment-specific (sandbox only). */
  signals?: string[];
  /** Paths left out of the sandbox copy. */
  withheld?: string[];
}): string {
  return fillTemplate(debugTemplate, {
    error: boundText(input.error, 300_000),
    tried: input.tried.trim() || '(nothing recorded)',
    files: input.files.length ? input.files.join(', ') : '(none named: find them)',
    related: input.related?.length ? fillTemplate(relatedTemplate, { related: input.related.join('\n') }) : '',
    where: input.sandbox
      ? fillTemplate(sandboxTemplate, {
          environment: input.signals?.length
            ? fillTemplate(environmentSignalsTemplate, { signals: input.signals.join('; ') })
            : fillTemplate(environmentUserTemplate),
          withheld: input.withheld?.length ? ` (${input.withheld.join(', ')})` : '',
        })
      : fillTemplate(readOnlyTemplate),
    // Every option gets it (the Codex adapter would add it for debugging tasks; Gemini would not).
    recheck: RECHECK_INSTRUCTION,
    schema: JSON.stringify(jsonSchemaOf(debugAnalysisSchema)),
  });
}

interface SandboxOutcome {
  /** `git diff` of the sandbox copy against its base: Codex's proposed edits, not applied. */
  patch: string;
  files: string[];
  /** Paths left out of the copy (secret files, links to outside). */
  withheld: string[];
  copied: number;
}

export interface EscalationResult {
  option: DebugOption;
  model: string;
  status: InvokeStatus;
  analysis?: DebugAnalysis;
  error?: string;
  /** Where Codex worked in the sandbox (already removed), so a reader knows it was not the user's tree. */
  scratch?: string;
  sandbox?: SandboxOutcome;
  costUsd: number | null;
}

export async function escalateDebug(input: {
  option: Exclude<DebugOption, 'claude'>;
  error: string;
  tried: string;
  files: string[];
  /** Lines naming files the repo map links to `files` (with their exported symbols). */
  related?: string[];
  /** Required for the sandbox option: why the failure counts as environment-specific. */
  environment?: EnvironmentVerdict;
  config: Config;
  /** The repository's top (the sandbox copies it). */
  root: string;
  /** The project root inside it (Codex's working directory). */
  projectRoot?: string;
  /** Sandbox only: untracked paths (relative to the project root) symlinked into the copy, e.g. node_modules. */
  links?: string[];
  invoke: InvokeFn;
  ctx: InvokeContext;
}): Promise<EscalationResult> {
  const { config } = input;
  const gemini = input.option === 'gemini';
  const sandbox = input.option === 'sandbox';
  const model = gemini ? config.models.gemini.default_model : config.models.codex.default_model;
  const target = gemini ? 'gemini' : 'codex';
  const call = async (cwd: string, withheld?: string[], tmpDir?: string) =>
    invokeStructured(
      input.invoke,
      target,
      {
        prompt: debugPrompt({
          error: input.error,
          tried: input.tried,
          files: input.files,
          sandbox,
          related: input.related,
          signals: input.environment?.signals.map((s) => `${s.label} ("${s.match}")`),
          withheld,
        }),
        model,
        effort: gemini ? undefined : config.models.effort_policy.debugging_escalated.codex,
        // The one place Codex may write: the sandbox copy. Every other path reads only.
        sandbox: sandbox ? 'workspace-write' : 'read-only',
        tmpDir,
        schema: jsonSchemaOf(debugAnalysisSchema),
        cwd,
        task: 'debugging_escalated',
        checkpoint: 'debug_escalation',
        // The option the user chose, or nothing: never a model they did not pick.
        fallback: false,
        timeoutMs: 1000 * (gemini ? config.models.gemini.timeout_seconds : config.models.codex.timeout_seconds),
      },
      input.ctx,
      debugAnalysisSchema,
    );
  if (!sandbox) {
    const r = await call(input.root);
    const base = { option: input.option, model, costUsd: r.result.costUsd };
    return r.ok ? { ...base, status: 'ok', analysis: r.value } : { ...base, status: r.status, error: r.error };
  }
  const isSecret = secretPathMatcher(config.secrets.withhold_paths);
  const projectRoot = input.projectRoot ?? input.root;
  const links = (input.links ?? []).map((l) => relative(input.root, resolve(projectRoot, l)));
  return withSandboxCopy(
    input.root,
    isSecret,
    async (copy) => {
      const cwd = join(copy.dir, relative(input.root, projectRoot));
      const r = await call(cwd, copy.withheld, copy.tmp);
      // Whatever Codex changed comes back, even when its closing reply failed: it is evidence.
      const change = await changeInCopy(copy);
      const outcome: SandboxOutcome = { ...change, withheld: copy.withheld, copied: copy.copied };
      const base = { option: input.option, model, scratch: copy.dir, sandbox: outcome, costUsd: r.result.costUsd };
      return r.ok ? { ...base, status: 'ok', analysis: r.value } : { ...base, status: r.status, error: r.error };
    },
    { links },
  );
}
