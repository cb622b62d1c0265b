/**
 * The shape of a registry entry. Plain TypeScript so the hot path (`mm route`, `mm check`)
 * loads no zod; entry-schema.ts is the zod twin that tests validate every entry with.
 */
export const INTEGRATIONS = [
  'claude',
  'codex',
  'gemini',
  'nano-banana',
  'sora',
  'local',
  'claude-teams',
  'custom',
] as const;
/** The integration a model belongs to; each has its enable flag in `[models]`. */
export type Integration = (typeof INTEGRATIONS)[number];

export const ACCESS_KINDS = [
  'claude-code', // Claude Code itself (the orchestrator's own session)
  'anthropic', // Anthropic Messages API (headless)
  'claude-cli', // the `claude` CLI under the user's own login (subscription)
  'codex-cli',
  'gemini-cli',
  'google-genai', // Gemini API through @google/genai (images)
  'openai-api', // OpenAI API through the openai SDK (video)
  'openai-compatible',
  'ollama',
  'teams', // Claude Code agent teams / subagents
] as const;
type AccessKind = (typeof ACCESS_KINDS)[number];

export const CAPABILITIES = [
  'text',
  'code',
  'review',
  'image',
  'image-edit',
  'svg',
  'video',
  'web-search',
  'sandbox',
  'long-context',
] as const;
type Capability = (typeof CAPABILITIES)[number];

/** Where a model stands at its provider: shut_down ids are kept only to explain themselves. */
export const LIFECYCLE_STATUSES = ['ga', 'preview', 'legacy', 'shut_down', 'unverified'] as const;
type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** When and where an entry's facts (ids, context, prices) were last checked against the provider. */
interface Verification {
  /** YYYY-MM-DD. */
  date: string;
  /** The public page the facts were read from. */
  source: string;
  /** What could not be confirmed there. */
  unverified?: string;
}

/** An id the provider used to answer to: it still resolves to this entry, and says why. */
export interface FormerId {
  id: string;
  /** YYYY-MM-DD the provider shut it down, when known. */
  gone_since?: string;
  note: string;
}

export const MODEL_LINES = ['coding', 'general', 'pro', 'flash', 'opus', 'sonnet', 'haiku'] as const;
export const COST_TIER_VALUES = ['free', '$', '$$', '$$$'] as const;

export interface RegistryEntry {
  id: string;
  name: string;
  vendor: string;
  integration: Integration;
  /** Codex: coding vs general line. Gemini: pro vs flash. Claude: opus/sonnet/haiku. */
  line?: (typeof MODEL_LINES)[number];
  /** Model name on the wire when it differs from the id. */
  wire_model?: string;
  aliases: string[];
  context_in: number | null;
  context_out: number | null;
  context_note?: string;
  best_for: string[];
  hazards: string[];
  capabilities: Capability[];
  cost_tier: (typeof COST_TIER_VALUES)[number];
  prices: {
    input_per_mtok?: number;
    output_per_mtok?: number;
    per_image?: Record<string, number>;
    per_second?: number;
  } | null;
  access: {
    kind: AccessKind;
    command?: string;
    endpoint?: string;
    /** Environment variables that carry credentials; any one of them is enough. */
    key_env: string[];
  };
  effort: { mechanism: string; levels: string[] };
  /** Built-in entries: lifecycle at the provider, and when it was last checked. */
  status?: LifecycleStatus;
  /** The provider's suggested successor when status is legacy or shut_down. */
  successor?: string;
  verified?: Verification;
  /** Retired or renamed provider ids that resolve to this entry (with a note in `mm models`). */
  former_ids?: FormerId[];
}
