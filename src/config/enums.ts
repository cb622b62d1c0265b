/**
 * The config's enumerations, apart from the zod schema: provider adapters on `mm ask`'s
 * path check efforts and sandboxes against them without loading zod (~450 KB).
 */
export const CLAUDE_EFFORTS = ['adaptive', 'extended'] as const;
/** How Claude models are reached: Messages API, the logged-in `claude` CLI, or whichever is usable. */
export const CLAUDE_ACCESS_MODES = ['auto', 'api', 'cli'] as const;
/** How a provider is paid for: per token through an API, or a CLI login's subscription. */
export const BILLING_KINDS = ['api', 'subscription'] as const;
export type BillingKind = (typeof BILLING_KINDS)[number];
export const CODEX_EFFORTS = ['none', 'low', 'medium', 'high', 'xhigh'] as const;
export const CHECKPOINT_MODES = ['auto', 'ask', 'off'] as const;
export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];
export const FLASH_THRESHOLDS = ['simple', 'moderate', 'never'] as const;
export const PROVIDER_KINDS = [
  'codex-cli',
  'gemini-cli',
  'openai-compatible',
  'ollama',
  'anthropic',
  'claude-cli',
] as const;
export const COST_TIERS = ['free', '$', '$$', '$$$'] as const;

export type ClaudeEffort = (typeof CLAUDE_EFFORTS)[number];
export type CodexEffort = (typeof CODEX_EFFORTS)[number];
export type CheckpointMode = (typeof CHECKPOINT_MODES)[number];
/** The template's security patterns before concept matching (read by the schema's default and by the matcher). */
export const DEFAULT_SECURITY_PATTERNS = [
  'auth',
  'crypto',
  'token',
  'password',
  'secret',
  'injection',
  'sanitiz',
  'escap',
];
