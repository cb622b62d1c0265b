/**
 * The built-in model registry: the design's capability matrix (§3.1) as data.
 * Routing, `mm models`, cost estimates and the pack all read this table; skills point to
 * `mm models` instead of copying it. Users add models in config (`[[registry.models]]`).
 * Prices are published list prices in USD as of PRICES_AS_OF; null where unknown.
 */
import { z } from 'zod';

export const PRICES_AS_OF = '2026-11';

/** The integration a model belongs to; each has its enable flag in `[models]`. */
export const INTEGRATIONS = ['claude', 'codex', 'gemini', 'nano-banana', 'sora', 'local', 'claude-teams', 'custom'] as const;
export type Integration = (typeof INTEGRATIONS)[number];

export const ACCESS_KINDS = [
  'claude-code', // Claude Code itself (the orchestrator's own session)
  'anthropic', // Anthropic Messages API (headless)
  'codex-cli',
  'gemini-cli',
  'google-genai', // Gemini API through @google/genai (images)
  'openai-api', // OpenAI API through the openai SDK (video)
  'openai-compatible',
  'ollama',
  'teams', // Claude Code agent teams / subagents
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export const CAPABILITIES = ['text', 'code', 'review', 'image', 'image-edit', 'svg', 'video', 'web-search', 'sandbox', 'long-context'] as const;

export const registryEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  vendor: z.string(),
  integration: z.enum(INTEGRATIONS),
  /** Codex: coding vs general line. Gemini: pro vs flash. */
  line: z.enum(['coding', 'general', 'pro', 'flash', 'opus', 'sonnet', 'haiku']).optional(),
  /** Model name on the wire when it differs from the id. */
  wire_model: z.string().optional(),
  aliases: z.array(z.string()).default([]),
  context_in: z.number().int().positive().nullable(),
  context_out: z.number().int().positive().nullable(),
  context_note: z.string().optional(),
  best_for: z.array(z.string()),
  hazards: z.array(z.string()),
  capabilities: z.array(z.enum(CAPABILITIES)),
  cost_tier: z.enum(['free', '$', '$$', '$$$']),
  prices: z
    .object({
      input_per_mtok: z.number().nonnegative().optional(),
      output_per_mtok: z.number().nonnegative().optional(),
      per_image: z.record(z.string(), z.number().nonnegative()).optional(),
      per_second: z.number().nonnegative().optional(),
    })
    .nullable(),
  access: z.object({
    kind: z.enum(ACCESS_KINDS),
    command: z.string().optional(),
    endpoint: z.string().optional(),
    /** Environment variables that carry credentials; any one of them is enough. */
    key_env: z.array(z.string()).default([]),
  }),
  effort: z.object({
    mechanism: z.string(),
    levels: z.array(z.string()),
  }),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;
type EntryInput = z.input<typeof registryEntrySchema>;

const CLAUDE_EFFORT = { mechanism: 'adaptive thinking + effort controls (budget_tokens deprecated)', levels: ['adaptive', 'extended'] };
const CODEX_EFFORT = { mechanism: 'reasoning effort (-c model_reasoning_effort)', levels: ['none', 'low', 'medium', 'high', 'xhigh'] };
const GEMINI_EFFORT = { mechanism: 'model selection (Pro vs Flash)', levels: ['pro', 'flash'] };
const NO_EFFORT = { mechanism: 'none', levels: [] };
const CODEX_ACCESS = { kind: 'codex-cli' as const, command: 'codex', key_env: ['OPENAI_API_KEY', 'CODEX_API_KEY'] };
const GEMINI_ACCESS = { kind: 'gemini-cli' as const, command: 'gemini', key_env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] };

const BUILTIN: EntryInput[] = [
  {
    id: 'claude-opus-4-6',
    name: 'Claude Opus 4.6',
    vendor: 'Anthropic',
    integration: 'claude',
    line: 'opus',
    aliases: ['opus'],
    context_in: 200_000,
    context_out: 200_000,
    context_note: '1M beta on the Developer Platform',
    best_for: ['orchestrate', 'reason', 'architect'],
    hazards: ['extended thinking can balloon token usage if unconstrained'],
    capabilities: ['text', 'code', 'review', 'svg'],
    cost_tier: '$$$',
    prices: { input_per_mtok: 5, output_per_mtok: 25 },
    access: { kind: 'claude-code', key_env: ['ANTHROPIC_API_KEY'] },
    effort: CLAUDE_EFFORT,
  },
  {
    id: 'claude-sonnet-4-6',
    name: 'Claude Sonnet 4.6',
    vendor: 'Anthropic',
    integration: 'claude',
    line: 'sonnet',
    aliases: ['sonnet', 'claude'],
    context_in: 200_000,
    context_out: 200_000,
    best_for: ['implement', 'review'],
    hazards: ['context compaction (beta) may lose nuance in long sessions'],
    capabilities: ['text', 'code', 'review', 'svg'],
    cost_tier: '$$',
    prices: { input_per_mtok: 3, output_per_mtok: 15 },
    access: { kind: 'claude-code', key_env: ['ANTHROPIC_API_KEY'] },
    effort: CLAUDE_EFFORT,
  },
  {
    id: 'claude-haiku-4-5',
    name: 'Claude Haiku 4.5',
    vendor: 'Anthropic',
    integration: 'claude',
    line: 'haiku',
    aliases: ['haiku'],
    context_in: 200_000,
    context_out: 64_000,
    best_for: ['search', 'extract', 'simple queries', 'documentation'],
    hazards: ['64K output cap; may truncate long generation tasks'],
    capabilities: ['text', 'code'],
    cost_tier: '$',
    prices: { input_per_mtok: 1, output_per_mtok: 5 },
    access: { kind: 'claude-code', key_env: ['ANTHROPIC_API_KEY'] },
    effort: { mechanism: 'standard (no extended thinking)', levels: ['adaptive'] },
  },
  {
    id: 'gpt-5.3-codex',
    name: 'GPT-5.3-Codex',
    vendor: 'OpenAI',
    integration: 'codex',
    line: 'coding',
    aliases: ['codex'],
    context_in: 400_000,
    context_out: 128_000,
    best_for: ['agentic coding', 'sandbox execution', 'debug investigation'],
    hazards: ['can overfit to its own plan; re-check against repo reality'],
    capabilities: ['text', 'code', 'review', 'sandbox', 'long-context'],
    cost_tier: '$$',
    prices: { input_per_mtok: 1.75, output_per_mtok: 14 },
    access: CODEX_ACCESS,
    effort: CODEX_EFFORT,
  },
  {
    id: 'gpt-5.3-codex-spark',
    name: 'GPT-5.3-Codex-Spark',
    vendor: 'OpenAI',
    integration: 'codex',
    line: 'coding',
    aliases: ['codex-spark', 'spark'],
    context_in: null,
    context_out: null,
    context_note: 'smaller context than GPT-5.3-Codex',
    best_for: ['ultra-fast coding', 'simple tasks'],
    hazards: ['smaller context; not for architecture-scale analysis'],
    capabilities: ['text', 'code', 'sandbox'],
    cost_tier: '$',
    prices: null,
    access: CODEX_ACCESS,
    effort: CODEX_EFFORT,
  },
  {
    id: 'gpt-5.2',
    name: 'GPT-5.2',
    vendor: 'OpenAI',
    integration: 'codex',
    line: 'general',
    context_in: 400_000,
    context_out: 128_000,
    best_for: ['general reasoning', 'review', 'analysis', 'pinned fallback'],
    hazards: ['superseded by 5.3 for coding; still valid for non-coding review'],
    capabilities: ['text', 'code', 'review', 'long-context'],
    cost_tier: '$$',
    prices: { input_per_mtok: 1.75, output_per_mtok: 14 },
    access: CODEX_ACCESS,
    effort: CODEX_EFFORT,
  },
  {
    id: 'gpt-5.2-mini',
    name: 'GPT-5.2-mini',
    vendor: 'OpenAI',
    integration: 'codex',
    line: 'general',
    context_in: 400_000,
    context_out: 128_000,
    best_for: ['cost-efficient coding (4x allowance)'],
    hazards: ['near-SOTA but may miss edge cases on complex tasks'],
    capabilities: ['text', 'code', 'review'],
    cost_tier: '$',
    prices: null,
    access: CODEX_ACCESS,
    effort: CODEX_EFFORT,
  },
  {
    id: 'gemini-3.1-pro',
    name: 'Gemini 3.1 Pro (preview)',
    vendor: 'Google',
    integration: 'gemini',
    line: 'pro',
    wire_model: 'gemini-3.1-pro-preview',
    aliases: ['gemini', 'gemini-pro'],
    context_in: 1_000_000,
    context_out: 65_536,
    best_for: ['multimodal (code + images)', 'Google Search', 'codebase analysis', 'SVG and animation', 'large context'],
    hazards: ['long outputs need explicit chunking; defaults may truncate'],
    capabilities: ['text', 'code', 'review', 'image', 'image-edit', 'svg', 'web-search', 'long-context'],
    cost_tier: '$$',
    prices: { input_per_mtok: 2, output_per_mtok: 12 },
    access: GEMINI_ACCESS,
    effort: GEMINI_EFFORT,
  },
  {
    id: 'gemini-3-flash',
    name: 'Gemini 3 Flash (preview)',
    vendor: 'Google',
    integration: 'gemini',
    line: 'flash',
    wire_model: 'gemini-3-flash-preview',
    aliases: ['gemini-flash', 'flash'],
    context_in: 1_000_000,
    context_out: 65_536,
    best_for: ['fast multimodal', 'small reviews', 'cost-efficient'],
    hazards: ['same output truncation risk; less capable on complex reasoning'],
    capabilities: ['text', 'code', 'review', 'web-search', 'long-context'],
    cost_tier: '$',
    prices: { input_per_mtok: 0.5, output_per_mtok: 3 },
    access: GEMINI_ACCESS,
    effort: GEMINI_EFFORT,
  },
  {
    id: 'nano-banana-pro',
    name: 'Nano Banana Pro (Gemini 3 Pro Image)',
    vendor: 'Google',
    integration: 'nano-banana',
    wire_model: 'gemini-3-pro-image-preview',
    aliases: ['nbp', 'gemini-3-pro-image'],
    context_in: null,
    context_out: null,
    best_for: ['high-quality image generation and editing (1K-4K)'],
    hazards: ['official name is Gemini 3 Pro Image; "Nano Banana Pro" is the product alias'],
    capabilities: ['image', 'image-edit'],
    cost_tier: '$',
    prices: { per_image: { '1K': 0.134, '2K': 0.134, '4K': 0.24 } },
    access: { kind: 'google-genai', key_env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
    effort: NO_EFFORT,
  },
  {
    id: 'sora-2',
    name: 'Sora 2',
    vendor: 'OpenAI',
    integration: 'sora',
    aliases: ['sora'],
    context_in: null,
    context_out: null,
    best_for: ['video generation with synced audio (4-12 s)'],
    hazards: ['generation latency; review outputs before publishing'],
    capabilities: ['video'],
    cost_tier: '$$',
    prices: { per_second: 0.1 },
    access: { kind: 'openai-api', key_env: ['OPENAI_API_KEY'] },
    effort: NO_EFFORT,
  },
  {
    id: 'local-llm',
    name: 'Local model (Ollama / LM Studio)',
    vendor: 'Local',
    integration: 'local',
    aliases: ['local', 'ollama'],
    context_in: null,
    context_out: null,
    context_note: 'varies (8K-128K typical)',
    best_for: ['privacy', 'offline', 'zero cost', 'custom fine-tunes'],
    hazards: ['quality highly variable; require an eval suite before trusting output'],
    capabilities: ['text', 'code'],
    cost_tier: 'free',
    prices: { input_per_mtok: 0, output_per_mtok: 0 },
    access: { kind: 'ollama', endpoint: 'http://localhost:11434' },
    effort: NO_EFFORT,
  },
  {
    id: 'claude-teams',
    name: 'Claude Code agent teams / parallel subagents',
    vendor: 'Anthropic',
    integration: 'claude-teams',
    aliases: ['teams'],
    context_in: 200_000,
    context_out: 200_000,
    best_for: ['parallel Claude instances', 'isolated contexts', 'A/B implementations'],
    hazards: ['runs inside Claude Code only; no programmatic API here'],
    capabilities: ['text', 'code', 'review'],
    cost_tier: '$$',
    prices: { input_per_mtok: 3, output_per_mtok: 15 },
    access: { kind: 'teams' },
    effort: CLAUDE_EFFORT,
  },
];

/** Parsed once at first use so defaults are applied; tests validate every entry. */
let parsed: RegistryEntry[] | undefined;
export function builtinModels(): RegistryEntry[] {
  parsed ??= BUILTIN.map((entry) => registryEntrySchema.parse(entry));
  return parsed;
}
