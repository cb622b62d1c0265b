/**
 * `mm doctor`'s rules: which integration is ready, which is not, and how to fix it. Pure:
 * the access probes, the headless-Claude check and the live-check view come in, so the
 * rules are unit-tested without a PATH, a network or a cache file.
 */
import type { Config } from '../config/schema.ts';
import type { ClaudeAccess } from '../providers/claude-access.ts';
import { isLoopbackUrl } from '../providers/loopback.ts';
import type { AccessStatus } from '../registry/access.ts';
import { LIVE_CACHE_STALE_DAYS } from '../registry/live-cache.ts';
import { configWarnings, shutDownEnabled } from '../registry/live-check.ts';
import type { LiveView } from '../registry/live-view.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { enableFlagOf, type Registry } from '../registry/registry.ts';

export interface DoctorItem {
  integration: string;
  enabled: boolean;
  ok: boolean;
  models: string[];
  detail: string;
  fix?: string;
  /** Works today, but needs attention (an old id, an old live check). */
  warning?: boolean;
}

export interface ReadinessInputs {
  registry: Registry;
  config: Config;
  /** Probe result per registry entry id (registry/access.ts). */
  access: ReadonlyMap<string, AccessStatus>;
  /** How headless calls would reach a Claude entry (providers/claude-access.ts). */
  claudeAccess: (entry: RegistryEntry) => ClaudeAccess;
  live: LiveView;
}

/** Every item of the report, in print order. Not ready = some item with ok false. */
export function readinessItems(inputs: ReadinessInputs): DoctorItem[] {
  return [...integrationItems(inputs), ...localItems(inputs.config), ...registryItems(inputs)];
}

export const notReady = (items: readonly DoctorItem[]): DoctorItem[] => items.filter((i) => !i.ok);

/** One item per integration (a custom entry is its own integration): enabled, and its access path present. */
function integrationItems({ registry, access, claudeAccess }: ReadinessInputs): DoctorItem[] {
  const groups = new Map<string, RegistryEntry[]>();
  for (const e of registry.entries) {
    const key = e.integration === 'custom' ? e.id : e.integration;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].map(([name, entries]) => {
    const first = entries[0]!;
    const enabled = registry.isEnabled(first);
    const status = access.get(first.id) ?? { present: false, detail: 'not probed' };
    const flag = enableFlagOf(first.integration);
    const fix = !enabled
      ? flag
        ? `set ${flag} = true in [models]`
        : `set enabled = true on [[registry.models]] ${first.id}`
      : status.present
        ? undefined
        : status.fix;
    // Claude Code itself is always there; headless calls (fallbacks, develop, qa) need a way in.
    const headless = first.integration === 'claude' ? claudeAccess(first) : undefined;
    return {
      integration: name,
      enabled,
      ok: !enabled || status.present,
      models: entries.map((e) => e.id),
      detail: headless ? `${status.detail}; headless: ${headless.detail}` : status.detail,
      fix:
        fix ??
        (headless && !headless.usable
          ? 'for headless Claude: export ANTHROPIC_API_KEY=…, or log in to the claude CLI ([models.claude] access)'
          : undefined),
    };
  });
}

/** The local model: pinned when it generates code, and on this machine unless the config allows another host. */
function localItems(config: Config): DoctorItem[] {
  const local = config.models.local_llm;
  if (!config.models.local_llm_enabled) return [];
  const items: DoctorItem[] = [];
  if (!local.pinning.model_id)
    items.push({
      integration: 'local (code generation)',
      enabled: true,
      ok: false,
      models: ['local-llm'],
      detail: 'local model not pinned',
      fix: 'set [models.local_llm.pinning] model_id (and eval_suite when require_eval = true)',
    });
  if (!isLoopbackUrl(local.endpoint))
    items.push({
      integration: 'local (privacy)',
      enabled: true,
      ok: local.allow_remote_endpoint,
      models: ['local-llm'],
      detail: local.allow_remote_endpoint
        ? `endpoint ${local.endpoint} is another machine (allowed by models.local_llm.allow_remote_endpoint)`
        : `endpoint ${local.endpoint} is not on this machine: local calls are refused`,
      fix: local.allow_remote_endpoint
        ? undefined
        : 'point models.local_llm.endpoint at localhost, or set models.local_llm.allow_remote_endpoint = true if that host is yours',
    });
  return items;
}

/**
 * Model ids that are gone or going, from the registry's own lifecycle data and the last
 * `mm models refresh` (its cache: no network here).
 */
function registryItems({ registry, config, live }: ReadinessInputs): DoctorItem[] {
  const items: DoctorItem[] = [];
  for (const e of shutDownEnabled(registry))
    items.push({
      integration: e.id,
      enabled: true,
      ok: false,
      models: [e.id],
      detail: `${e.name} was shut down by ${e.vendor}${e.verified ? ` (checked ${e.verified.date}: ${e.verified.source})` : ''}`,
      fix: e.successor
        ? `switch to ${e.successor}`
        : `turn it off (${enableFlagOf(e.integration) ?? 'enabled'} = false): there is no successor`,
    });
  for (const w of configWarnings(config, registry))
    if (registry.formerId(w.value))
      items.push({
        integration: 'config',
        enabled: true,
        ok: true,
        warning: true,
        models: [w.value],
        detail: w.message,
      });
  if (live.problem)
    items.push({ integration: 'live check', enabled: true, ok: true, warning: true, models: [], detail: live.problem });
  if (!live.cache) return items;
  for (const f of live.findings.filter((x) => !x.listed)) {
    const entry = registry.find(f.model);
    if (!entry || !registry.isEnabled(entry)) continue;
    // A slug missing from the Codex CLI's catalog still runs (degraded): a warning, not "not ready".
    items.push({
      integration: f.model,
      enabled: true,
      ok: Boolean(f.note),
      ...(f.note ? { warning: true } : {}),
      models: [f.model],
      detail: `${f.wire} is unknown or retired at ${f.at} (mm models refresh, ${live.cache.checked_at.slice(0, 10)})${f.note ? `: ${f.note}` : ''}`,
      fix: f.suggestion
        ? `use ${f.suggestion}: set it in the config ([models] or [[registry.models]] model = "${f.suggestion}")`
        : '`mm models refresh --json` lists what the provider has',
    });
  }
  if ((live.ageDays ?? 0) > LIVE_CACHE_STALE_DAYS)
    items.push({
      integration: 'live check',
      enabled: true,
      ok: true,
      warning: true,
      models: [],
      detail: `the last \`mm models refresh\` is ${live.ageDays} days old`,
      fix: 'mm models refresh',
    });
  return items;
}
