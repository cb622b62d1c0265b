/** Shapes shared by fan-out planning, cost estimate, execution and materialisation. */
export const FANOUT_MODES = ['competitive', 'division', 'swarm'] as const;
export type FanoutMode = (typeof FANOUT_MODES)[number];

export const COMPLEXITIES = ['trivial', 'simple', 'medium', 'complex', 'expert'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

/** One unit of work as the user gives it (the design's swarm fields). */
export interface FanoutTask {
  prompt: string;
  label?: string;
  complexity?: Complexity;
  /** Exact model id; skips complexity routing. */
  model?: string;
  system_prompt?: string;
  temperature?: number;
  max_tokens?: number;
}

/** One model call, decided before anything runs (what the cost estimate prices). */
export interface PlannedCall {
  label: string;
  model: string;
  /** Tried in order when `model` does not answer "ok" (MAO auto-fallback). */
  fallbacks: string[];
  complexity: Complexity;
  prompt: string;
  /** Task label for the ledger and budgets, e.g. "fanout", "develop:schemas". */
  task: string;
  maxTokens?: number;
  temperature?: number;
  /** Files (relative to the project) attached after the prompt, through the secrets guard. */
  files?: string[];
  /** JSON Schema the reply must follow (passed to the provider). */
  schema?: Record<string, unknown>;
}

/** The published result shape: `{"label","model","complexity","ok","text"|"error"}`. */
export type FanoutResult =
  | { label: string; model: string; complexity: Complexity; ok: true; text: string }
  | { label: string; model: string; complexity: Complexity; ok: false; error: string };

export interface FanoutOutput {
  results: FanoutResult[];
  summary: { total: number; succeeded: number; failed: number };
}

export function summarize(results: FanoutResult[]): FanoutOutput {
  const succeeded = results.filter((r) => r.ok).length;
  return { results, summary: { total: results.length, succeeded, failed: results.length - succeeded } };
}
