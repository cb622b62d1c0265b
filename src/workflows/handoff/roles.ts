/** Architect and coder model names from `[roles]`: the registry's display name when the id is known. */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import type { HandoffRole, HandoffVia } from './hard-stop.ts';

export function roleModelName(role: HandoffRole, config: Config, registry: Registry): string {
  const configured = config.roles[role];
  return registry.find(configured)?.name ?? configured;
}

/** A Claude model: a registry entry of the Claude integrations, or a free-form name that says so. */
function isClaudeModel(id: string, registry: Registry): boolean {
  const entry = registry.find(id);
  if (entry) return entry.integration === 'claude' || entry.integration === 'claude-teams';
  return /\b(?:claude|opus|sonnet|haiku)\b/i.test(id);
}

/** The model selector can switch roles only when both are Claude models (Claude Code's selector holds nothing else). */
export function handoffVia(config: Config, registry: Registry, coder = config.roles.coder): HandoffVia {
  return isClaudeModel(config.roles.architect, registry) && isClaudeModel(coder, registry) ? 'model-selector' : 'mm';
}
