/** What `mm doctor` reports: which enabled integrations are ready, and how to fix the rest. Pure. */
import type { Config } from '../config/schema.ts';
import type { AccessStatus } from './access.ts';
import type { RegistryEntry } from './models.ts';
import { enableFlagOf, type Registry } from './registry.ts';

export interface ReadinessItem {
  integration: string;
  enabled: boolean;
  ok: boolean;
  models: string[];
  detail: string;
  fix?: string;
}

/**
 * One item per integration (custom models one each): enabled or not, reachable or not, and
 * the fix; plus the rule that an enabled local model must be pinned before it writes code.
 */
export function readiness(config: Config, registry: Registry, access: Map<string, AccessStatus>): ReadinessItem[] {
  const groups = new Map<string, RegistryEntry[]>();
  for (const e of registry.entries) {
    const key = e.integration === 'custom' ? e.id : e.integration;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const items: ReadinessItem[] = [];
  for (const [name, entries] of groups) {
    const first = entries[0]!;
    const enabled = registry.isEnabled(first);
    const status: AccessStatus = access.get(first.id)!;
    const flag = enableFlagOf(first.integration);
    const fix = !enabled
      ? flag
        ? `set ${flag} = true in [models]`
        : `set enabled = true on [[registry.models]] ${first.id}`
      : status.present
        ? undefined
        : status.fix;
    items.push({
      integration: name,
      enabled,
      ok: !enabled || status.present,
      models: entries.map((e) => e.id),
      detail: status.detail,
      fix,
    });
  }
  if (config.models.local_llm_enabled && !config.models.local_llm.pinning.model_id) {
    items.push({
      integration: 'local (code generation)',
      enabled: true,
      ok: false,
      models: ['local-llm'],
      detail: 'local model not pinned',
      fix: 'set [models.local_llm.pinning] model_id (and eval_suite when require_eval = true)',
    });
  }
  return items;
}
