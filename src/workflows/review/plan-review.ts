/**
 * Plan review (§5.1): Codex, read-only, effort from the `plan_review` policy row, the
 * §5.1 prompt, a PASS | CONCERN | BLOCK verdict validated before it is believed.
 */
import type { Config } from '../../config/schema.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import { invokeStructured } from '../structured.ts';
import { planReviewPrompt, type ReviewSteer } from './prompts.ts';
import { jsonSchemaOf, planVerdictSchema, type PlanVerdict } from './verdicts.ts';

/**
 * Tasks in a plan: checkbox items, "Task N" headings, numbered items or the rows of
 * Markdown tables, whichever the plan uses most (plans are written in any of these styles).
 */
export function countPlanTasks(plan: string): number {
  const count = (re: RegExp) => (plan.match(re) ?? []).length;
  return Math.max(
    count(/^\s*[-*+]\s+\[[ x]\]\s+/gim),
    count(/^#{1,6}\s+(?:task|step)\b/gim),
    count(/^\s*\d+[.)]\s+\S/gm),
    countTableRows(plan),
  );
}

/** Body rows of Markdown tables: the rows after a `| --- |` separator, header excluded. */
export function countTableRows(markdown: string): number {
  let rows = 0;
  let inTable = false;
  let fence = false;
  for (const line of markdown.split('\n')) {
    const t = line.trim();
    if (/^(?:```|~~~)/.test(t)) fence = !fence;
    if (fence) continue;
    if (/^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$/.test(t) && t.includes('|')) {
      inTable = true; // the separator under a header row
      continue;
    }
    if (inTable && t.startsWith('|') && /\S/.test(t.replace(/[|\s]/g, ''))) rows++;
    else if (!t.startsWith('|')) inTable = false;
  }
  return rows;
}

export interface PlanReviewResult {
  model: string;
  /** Codex reasoning effort; Gemini has none (its depth is the model choice). */
  effort?: string;
  status: InvokeStatus;
  /** The model that answered, when not `model` (Gemini's Pro→Flash retry on a 429). */
  answered_by?: string;
  verdict?: PlanVerdict;
  error?: string;
  costUsd: number | null;
  latencyMs: number;
}

export async function reviewPlan(input: {
  planPath: string;
  plan: string;
  config: Config;
  invoke: InvokeFn;
  ctx: InvokeContext;
  cwd: string;
  /** `--with gemini` asks Gemini Pro instead (Pattern C); Codex otherwise. */
  provider?: 'codex' | 'gemini';
  /** `--focus` / `--adversarial`. */
  steer?: ReviewSteer;
}): Promise<PlanReviewResult> {
  const { config } = input;
  const provider = input.provider ?? 'codex';
  const model = provider === 'codex' ? config.models.codex.default_model : config.models.gemini.default_model;
  const effort = provider === 'codex' ? config.models.effort_policy.plan_review.codex : undefined;
  const started = Date.now();
  const r = await invokeStructured(
    input.invoke,
    provider,
    {
      prompt: planReviewPrompt(input.planPath, input.plan, input.steer),
      model,
      effort,
      sandbox: 'read-only',
      schema: jsonSchemaOf(planVerdictSchema),
      cwd: input.cwd,
      task: 'plan_review',
      checkpoint: 'plan_review',
      // The named reviewer or no review: a stand-in model would not be the review asked for.
      fallback: false,
      timeoutMs:
        1000 * (provider === 'codex' ? config.models.codex.timeout_seconds : config.models.gemini.timeout_seconds),
    },
    input.ctx,
    planVerdictSchema,
  );
  const base = {
    model,
    effort,
    ...(r.ok && r.result.model !== model ? { answered_by: r.result.model } : {}),
    costUsd: r.result.costUsd,
    latencyMs: Date.now() - started,
  };
  return r.ok ? { ...base, status: 'ok', verdict: r.value } : { ...base, status: r.status, error: r.error };
}
