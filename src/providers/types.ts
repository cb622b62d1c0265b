/**
 * The one provider interface. Every model call in mm (Codex CLI, Gemini-family CLI,
 * local endpoints, the Anthropic API) returns an InvokeResult; only status "ok" is
 * success. "Could not run" (unavailable, timeout, auth, …) is never a verdict.
 */
import type { LoadedConfig } from '../config/load.ts';
import type { SandboxMode } from '../config/schema.ts';
import type { Registry } from '../registry/registry.ts';

import type { InvokeStatus, Usage } from '../util/call-status.ts';

export { INVOKE_STATUSES, type InvokeStatus, type Usage } from '../util/call-status.ts';

export interface Attempt {
  provider: string;
  model: string;
  status: InvokeStatus;
  latencyMs: number;
  /** Short reason when not ok, e.g. "timeout after 600 s". */
  error?: string;
}

export interface InvokeRequest {
  prompt: string;
  /** Registry id or alias; the provider's configured default when absent. */
  model?: string;
  /** Provider-specific effort (Codex: none…xhigh; Claude: adaptive|extended; Gemini: pro|flash). Default: [models.effort_policy] row of `task`. */
  effort?: string;
  sandbox?: SandboxMode;
  /**
   * With `workspace-write`: a private temp folder for the model's commands ($TMPDIR); the
   * shared /tmp turns read-only to them, so a sandbox under /tmp cannot reach its neighbours.
   */
  tmpDir?: string;
  timeoutMs?: number;
  /** JSON Schema the reply must follow; the reply is parsed and validated before "ok". */
  schema?: Record<string, unknown>;
  cwd: string;
  /** Task label for routing, the ledger and budgets (e.g. "plan_review", "pr_cross_review"). */
  task: string;
  /** Resume a provider thread (Codex) when supported. */
  threadId?: string;
  /** Files (relative to cwd) attached after the prompt; the secrets guard withholds secret paths. */
  files?: string[];
  /** Privacy-sensitive: only the local model may see it (as for tasks in models.local_llm.always_local). */
  privacy?: boolean;
  /** Checkpoint label (e.g. plan_review): the ledger records it; it puts the call under [usage].checkpoint_budget_usd. */
  checkpoint?: string;
  /**
   * The run the call belongs to: checkpoint_budget_usd is per run. A fan-out passes its stored
   * run id (so `mm runs resume` continues its budget); otherwise one mm process is one run.
   */
  run?: string;
  /**
   * Fallbacks after the target fails: registry ids, or false for none. Default: the
   * [routing] chain for `task` (enabled models only), then Claude when the API or the logged-in `claude` CLI is usable.
   */
  fallback?: string[] | false;
  /** Sampling temperature, for the providers that take one (see samplingSupport). */
  temperature?: number;
  /** Cap on output tokens, for the providers that take one. */
  maxTokens?: number;
  /**
   * The failed attempt this call replaces, when a caller walks its own fallback chain
   * (fan-out, develop, qa): the ledger records the hop as invokeModel's own chain does.
   */
  fallbackFrom?: Attempt;
}

export interface InvokeResult {
  status: InvokeStatus;
  text: string;
  /** Parsed reply when a schema was given and the reply matched it. */
  json?: unknown;
  provider: string;
  model: string;
  usage: Usage;
  latencyMs: number;
  /** Estimated from registry prices; null when the price is unknown. */
  costUsd: number | null;
  threadId?: string;
  /** Last lines of the child's stderr, for diagnosis. */
  stderrTail: string;
  /** Every hop, in order, when fallbacks were tried. */
  attempts: Attempt[];
  /** What the secrets guard withheld or redacted before sending. */
  withheld: string[];
  /** Human message when not ok. */
  error?: string;
}

export interface Provider {
  /** "codex" | "gemini" | "local" | "claude" | a custom registry id. */
  readonly name: string;
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

export const EMPTY_USAGE: Usage = { input: 0, output: 0, reasoning: 0, cached: 0 };

/** What a model call needs from its surroundings (config, registry, env, project root). */
export interface InvokeContext {
  loaded: LoadedConfig;
  registry: Registry;
  env: NodeJS.ProcessEnv;
  /** Project root: where `.claude/mm/` (ledger, runs) lives. */
  root: string;
}
