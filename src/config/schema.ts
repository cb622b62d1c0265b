/**
 * The schema of `.claude/config/multi-model.toml` (design §4.3, plus `[routing]`,
 * `[[registry.models]]`, `[usage]` and `[secrets]`). Every key has a default, so a file
 * only needs the keys it changes. The defaults here are for a file that EXISTS: with no
 * file at all, `plainClaudeCode()` (load.ts) switches every external integration off.
 */
import { z } from 'zod';
import { BUILTIN_CLI_PROFILES } from './cli-profiles.ts';

export { SANDBOX_MODES, type CheckpointMode, type ClaudeEffort, type CodexEffort, type SandboxMode } from './enums.ts';

const compiles = (source: string): boolean => {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
};
import {
  CHECKPOINT_MODES,
  DEFAULT_SECURITY_PATTERNS,
  BILLING_KINDS,
  CLAUDE_ACCESS_MODES,
  CLAUDE_EFFORTS,
  CODEX_EFFORTS,
  COST_TIERS,
  FLASH_THRESHOLDS,
  PROVIDER_KINDS,
  SANDBOX_MODES,
  type ClaudeEffort,
  type CodexEffort,
} from './enums.ts';

const positiveInt = z.number().int().positive();

/** A Gemini-family CLI's invocation (providers/cli-profiles.ts); unset keys follow the `gemini` profile. */
const G = BUILTIN_CLI_PROFILES.gemini!;
const cliProfileSchema = z.object({
  command: z.string().min(1),
  prompt: z.enum(['stdin', 'argument']).default(G.prompt),
  prompt_flag: z.string().min(1).default(G.prompt_flag),
  model_flag: z.string().min(1).default(G.model_flag),
  output_args: z.array(z.string()).default(G.output_args),
  output: z.enum(['json', 'text']).default(G.output),
  read_only_args: z.array(z.string()).default(G.read_only_args),
  /** Sent when a coder may edit files (mm handoff run); unset in a custom profile: nothing is sent. */
  write_args: z.array(z.string()).optional(),
  timeout_flag: z.string().min(1).optional(),
  usage: z.enum(['gemini-stats', 'none']).default(G.usage),
  errors: z.enum(['gemini-exit-codes', 'stderr']).default(G.errors),
});
const nonNegativeNumber = z.number().nonnegative();

const effortEntrySchema = z.object({
  claude: z.enum(CLAUDE_EFFORTS).default('adaptive'),
  codex: z.enum(CODEX_EFFORTS).default('medium'),
});
export type EffortEntry = z.infer<typeof effortEntrySchema>;

const effort = (claude: ClaudeEffort, codex: CodexEffort) => effortEntrySchema.default({ claude, codex });

/** Task kinds of the design's effort table (§3.2); users may add their own. */
export const EFFORT_TASKS = {
  architecture_decisions: effort('adaptive', 'xhigh'),
  plan_generation: effort('adaptive', 'high'),
  plan_review: effort('adaptive', 'medium'),
  implementation: effort('adaptive', 'medium'),
  code_review: effort('adaptive', 'medium'),
  debugging: effort('adaptive', 'high'),
  debugging_escalated: effort('extended', 'xhigh'),
  simple_search: effort('adaptive', 'low'),
  documentation: effort('adaptive', 'low'),
  formatting: effort('adaptive', 'none'),
};
export type EffortTask = keyof typeof EFFORT_TASKS;

const effortPolicySchema = z
  .object({
    ...EFFORT_TASKS,
    escalation_requires_artifacts: z.boolean().default(true),
  })
  .catchall(effortEntrySchema);

const modelsSchema = z.object({
  codex_enabled: z.boolean().default(false),
  gemini_enabled: z.boolean().default(false),
  nano_banana_enabled: z.boolean().default(false),
  sora_enabled: z.boolean().default(false),
  local_llm_enabled: z.boolean().default(false),
  claude_teams_enabled: z.boolean().default(false),
  defaults: z
    .object({
      implementation: z.string().default('claude-sonnet-4-6'),
      review: z.string().default('claude-sonnet-4-6'),
      exploration: z.string().default('claude-haiku-4-5'),
      orchestration: z.string().default('claude-opus-4-6'),
      documentation: z.string().default('claude-haiku-4-5'),
      image_generation: z.string().default('nano-banana-pro'),
      svg_generation: z.string().default('gemini-3.1-pro'),
      video_generation: z.string().default('sora-2'),
      web_research: z.string().default('gemini-3.1-pro'),
    })
    .prefault({}),
  effort_policy: effortPolicySchema.prefault({}),
  codex: z
    .object({
      command: z.string().min(1).default('codex'),
      default_model: z.string().default('gpt-5.3-codex'),
      fast_model: z.string().default('gpt-5.3-codex-spark'),
      general_model: z.string().default('gpt-5.2'),
      default_reasoning: z.enum(CODEX_EFFORTS).default('medium'),
      sandbox_default: z.enum(SANDBOX_MODES).default('read-only'),
      timeout_seconds: positiveInt.default(600),
    })
    .prefault({}),
  gemini: z
    .object({
      /** How the CLI is driven: a built-in profile (`gemini`, `agy`) or one under `profiles`. */
      profile: z.string().min(1).default('gemini'),
      profiles: z.record(z.string(), cliProfileSchema).default({}),
      /** The binary; default: the profile's command. */
      command: z.string().min(1).optional(),
      default_model: z.string().default('gemini-3.1-pro'),
      fast_model: z.string().default('gemini-3-flash'),
      flash_threshold: z.enum(FLASH_THRESHOLDS).default('simple'),
      max_output_tokens: positiveInt.default(65536),
      chunking_threshold: positiveInt.default(32000),
      flash_fallback_on_rate_limit: z.boolean().default(true),
      timeout_seconds: positiveInt.default(600),
    })
    .superRefine((g, ctx) => {
      if (!(g.profile in BUILTIN_CLI_PROFILES) && !(g.profile in g.profiles))
        ctx.addIssue({
          code: 'custom',
          path: ['profile'],
          message: `unknown CLI profile "${g.profile}": use ${Object.keys(BUILTIN_CLI_PROFILES).join(' or ')}, or define [models.gemini.profiles.${g.profile}]`,
        });
    })
    .prefault({}),
  /**
   * How Claude models are reached: the Messages API (`api`, needs ANTHROPIC_API_KEY) or the
   * `claude` CLI the user is logged in to (`cli`, subscription). `auto`: the CLI when it is on
   * PATH and no API key is set. `per_model` overrides it for single registry ids.
   */
  claude: z
    .object({
      access: z.enum(CLAUDE_ACCESS_MODES).default('auto'),
      per_model: z.record(z.string(), z.enum(['api', 'cli'])).default({}),
      command: z.string().min(1).default('claude'),
      timeout_seconds: positiveInt.default(600),
    })
    .prefault({}),
  local_llm: z
    .object({
      endpoint: z.url().default('http://localhost:11434'),
      api: z.enum(['ollama', 'openai-compatible']).default('ollama'),
      model: z.string().default('qwen2.5-coder:32b'),
      always_local: z.array(z.string()).default([]),
      /** The endpoint may be another machine (privacy work would leave this one): an explicit opt-in. */
      allow_remote_endpoint: z.boolean().default(false),
      require_eval: z.boolean().default(true),
      timeout_seconds: positiveInt.default(300),
      pinning: z
        .object({
          model_id: z.string().optional(),
          checksum: z.string().optional(),
          eval_suite: z.string().optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  claude_teams: z
    .object({
      /** How many parallel Claude threads `mm route --with teams` allows. */
      max_parallel_threads: positiveInt.default(3),
    })
    .prefault({}),
});

const checkpointsSchema = z.object({
  plan_review: z.enum(CHECKPOINT_MODES).default('ask'),
  pr_cross_review: z.enum(CHECKPOINT_MODES).default('ask'),
  debug_escalation: z.enum(CHECKPOINT_MODES).default('ask'),
  creative_model_selection: z.enum(CHECKPOINT_MODES).default('ask'),
  context_analysis: z.enum(CHECKPOINT_MODES).default('ask'),
});
export type CheckpointName = keyof z.infer<typeof checkpointsSchema>;

export { DEFAULT_SECURITY_PATTERNS };

const thresholdsSchema = z.object({
  files_changed_suggest_review: positiveInt.default(10),
  security_sensitive_patterns: z.array(z.string().min(1)).default(DEFAULT_SECURITY_PATTERNS),
  /**
   * Per-repository calibration of the security trigger (policy/security-calibration.ts):
   * flag from max(the fixed threshold, this quantile of the repository's own recent
   * commits' scores). 0 turns it off.
   */
  security_calibration_quantile: z.number().min(0).max(0.99).default(0.7),
  security_calibration_commits: z.number().int().min(30).max(5000).default(200),
  suggest_gemini_for_context_above: positiveInt.default(150000),
  suggest_codex_debug_after_cycles: positiveInt.default(2),
  plan_review_min_tasks: positiveInt.default(20),
  flash_review_max_files: positiveInt.default(5),
});

const assetPipelineSchema = z.object({
  output_dir: z.string().min(1).default('assets/ai-gen'),
  structure: z.string().min(1).default('{date}/{model}/{filename}'),
  store_prompts: z.boolean().default(true),
  store_seeds: z.boolean().default(true),
  store_metadata: z.boolean().default(true),
  /** API base URLs for the creative SDKs; unset: the SDKs' GOOGLE_GEMINI_BASE_URL / OPENAI_BASE_URL, else the public APIs. */
  gemini_base_url: z.url().optional(),
  openai_base_url: z.url().optional(),
});

const routeChainSchema = z.object({
  primary: z.string().min(1),
  fallback: z.array(z.string().min(1)).default([]),
});
export type RouteChain = z.infer<typeof routeChainSchema>;

/** MAO's workstream table, mapped onto the current model line (design: mao-v2 "Task Routing Rules"). */
export const DEFAULT_ROUTING: Record<string, { primary: string; fallback: string[] }> = {
  schemas: { primary: 'gemini-3.1-pro', fallback: ['claude-sonnet-4-6'] },
  storage: { primary: 'gpt-5.3-codex', fallback: ['claude-sonnet-4-6'] },
  core_logic: { primary: 'gpt-5.2', fallback: ['claude-opus-4-6'] },
  implementation: { primary: 'claude-sonnet-4-6', fallback: ['gpt-5.3-codex'] },
  tests: { primary: 'gpt-5.3-codex', fallback: ['claude-sonnet-4-6'] },
  prd_compliance: { primary: 'gemini-3.1-pro', fallback: ['claude-opus-4-6'] },
  error_handling: { primary: 'claude-sonnet-4-6', fallback: ['claude-opus-4-6'] },
  type_safety: { primary: 'gpt-5.3-codex', fallback: ['claude-sonnet-4-6'] },
  architecture: { primary: 'claude-opus-4-6', fallback: ['gemini-3.1-pro'] },
  security: { primary: 'gpt-5.2', fallback: ['claude-opus-4-6'] },
  dependency_check: { primary: 'claude-haiku-4-5', fallback: ['gemini-3-flash'] },
  review: { primary: 'gpt-5.2', fallback: ['gemini-3.1-pro', 'claude-sonnet-4-6'] },
  debug: { primary: 'gpt-5.3-codex', fallback: ['gemini-3.1-pro', 'claude-opus-4-6'] },
  research: { primary: 'gemini-3.1-pro', fallback: ['gemini-3-flash', 'claude-sonnet-4-6'] },
  image: { primary: 'nano-banana-pro', fallback: ['gemini-3.1-pro', 'claude-sonnet-4-6'] },
};

const routingSchema = z.record(z.string(), routeChainSchema);

const userModelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][\w.:/-]*$/i, 'model ids use letters, digits and . _ : / -'),
  provider: z.enum(PROVIDER_KINDS),
  name: z.string().optional(),
  /** The model name sent on the wire when it differs from `id`. */
  model: z.string().optional(),
  endpoint: z.url().optional(),
  command: z.string().min(1).optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
    .optional(),
  context_in: positiveInt.optional(),
  context_out: positiveInt.optional(),
  cost_tier: z.enum(COST_TIERS).default('$$'),
  price_in_per_mtok: nonNegativeNumber.optional(),
  price_out_per_mtok: nonNegativeNumber.optional(),
  best_for: z.array(z.string()).default([]),
  hazards: z.array(z.string()).default([]),
  capabilities: z.array(z.string()).default(['text']),
  enabled: z.boolean().default(true),
});
export type UserModel = z.infer<typeof userModelSchema>;

const registrySchema = z.object({
  models: z.array(userModelSchema).default([]),
});

/** A subscription's own allowance: calls and/or tokens per rolling window. */
const subscriptionLimitSchema = z.object({
  calls: positiveInt.optional(),
  tokens: positiveInt.optional(),
  window_hours: z.number().positive().default(5),
});
export type SubscriptionLimit = z.infer<typeof subscriptionLimitSchema>;

const usageSchema = z.object({
  ledger: z.string().min(1).default('.claude/mm/usage.jsonl'),
  /** USD budgets: they measure API spend only (subscription calls cost no API money). */
  monthly_budget_usd: nonNegativeNumber.optional(),
  checkpoint_budget_usd: nonNegativeNumber.optional(),
  /**
   * How each provider (ledger name: codex, gemini, claude, claude-cli, local, …) is paid for:
   * `api` per token, or `subscription` (a CLI login: tokens counted, no API cost). Merged over
   * the default `{ claude-cli = "subscription" }`.
   */
  billing: z.record(z.string(), z.enum(BILLING_KINDS)).default({}),
  /** Per subscription provider: its limit in calls or tokens per window (e.g. `[usage.limits.claude-cli]`). */
  limits: z.record(z.string(), subscriptionLimitSchema).default({}),
});

const secretsSchema = z.object({
  /** What to do when a prompt holds a secret-looking string: redact it, or refuse the call. */
  on_secret: z.enum(['redact', 'refuse']).default('redact'),
  withhold_paths: z.array(z.string()).default([]),
  // A pattern that does not compile would stop every call later: refuse it at load (and in `mm config check`).
  patterns: z.array(z.string().refine(compiles, 'not a valid regular expression')).default([]),
});

/**
 * `[roles]`: who plays architect and coder in the dual-model handoff (`mm handoff`).
 * Registry ids or free-form model names; the HARD STOP block prints the registry's
 * display name when the id is known. Defaults follow the dual-model design's table.
 */
const rolesSchema = z.object({
  architect: z.string().min(1).default('claude-opus-4-6'),
  coder: z.string().min(1).default('gemini-3.1-pro'),
});

/**
 * `[fanout]`: parallel generation (`mm fanout`, `mm develop run`, `mm qa`). Concurrency is
 * capped per provider integration (codex, gemini, claude, local, custom …) because each
 * CLI or endpoint has its own rate limits; local models share one machine, so fewer.
 */
const fanoutSchema = z.object({
  max_concurrent_per_provider: positiveInt.default(8),
  per_provider: z.record(z.string(), positiveInt).default({ local: 1 }),
  /** Output tokens assumed per call for the cost estimate when a task names none. */
  estimate_output_tokens: positiveInt.default(4000),
});

/** `mm develop` Phase 5: commands run in the isolated checkout after the workstreams are collected. */
const developSchema = z.object({
  verify: z.array(z.string().min(1)).default([]),
  verify_timeout_seconds: positiveInt.default(600),
  /** Phase 0: "auto" asks the cheapest enabled model for the workstream graph; "off" uses the dependency table. */
  analysis: z.enum(['auto', 'off']).default('auto'),
  /** The Phase 0 analyst; default: the cheapest enabled model (Claude Haiku when nothing cheaper is enabled). */
  analysis_model: z.string().min(1).optional(),
  /**
   * The plan checkpoint of `mm develop run` (Phase 0 printed, then the paid workstream calls):
   * "ask" needs --yes for any paid call, "auto" proceeds, "off" proceeds without printing the plan.
   */
  plan_checkpoint: z.enum(CHECKPOINT_MODES).default('ask'),
  /** Merges what two workstreams wrote when tests cannot decide; default: the orchestration model. */
  synthesizer: z.string().min(1).optional(),
});

/**
 * `[pipeline]`: `mm pipeline` (analysis → synthesis → implementation). Each role's model
 * chain (`[pipeline.roles.<role>]`, primary + fallback); a role not named here keeps its
 * default from src/workflows/pipeline/roles.ts. Verification reuses `[develop] verify`.
 */
const pipelineSchema = z.object({
  roles: z.record(z.string(), routeChainSchema).default({}),
});

export const configSchema = z.object({
  models: modelsSchema.prefault({}),
  checkpoints: checkpointsSchema.prefault({}),
  thresholds: thresholdsSchema.prefault({}),
  asset_pipeline: assetPipelineSchema.prefault({}),
  routing: routingSchema.default({}),
  registry: registrySchema.prefault({}),
  usage: usageSchema.prefault({}),
  secrets: secretsSchema.prefault({}),
  roles: rolesSchema.prefault({}),
  fanout: fanoutSchema.prefault({}),
  develop: developSchema.prefault({}),
  pipeline: pipelineSchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
