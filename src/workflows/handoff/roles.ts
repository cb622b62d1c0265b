/** Architect and coder model names from `[roles]`: the registry's display name when the id is known. */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import type { HandoffRole } from './hard-stop.ts';

export function roleModelName(role: HandoffRole, config: Config, registry: Registry): string {
  const configured = config.roles[role];
  return registry.find(configured)?.name ?? configured;
}
