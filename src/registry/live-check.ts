/**
 * Compares the registry with what the providers say exists: which built-in or configured
 * ids a provider's live list no longer holds (with the likely replacement), which config
 * values still name a retired id, which enabled models the provider has shut down.
 * Pure: the lists come from live-lists.ts now, or from the cache (live-cache.ts) later,
 * so `mm doctor` and `mm models` warn without a network call.
 */
import type { Config } from '../config/schema.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import type { LiveList } from './live-lists.ts';
import type { Registry } from './registry.ts';
import type { RegistryEntry } from './types.ts';

export interface LiveFinding {
  /** Registry id. */
  model: string;
  /** The id mm sends to the provider. */
  wire: string;
  /** Who was asked ("Google", "OpenAI", an endpoint). */
  at: string;
  listed: boolean;
  /** A listed id to use instead, when one is likely. */
  suggestion?: string;
  /** What "not listed" means for this source, when it is not "gone". */
  note?: string;
}

/** The Codex CLI still runs a slug missing from its catalog, on fallback metadata (its own warning). */
const CODEX_CATALOG_NOTE =
  'not in this Codex CLI’s catalog: it runs the model on fallback metadata ("can degrade performance"); upgrade the CLI or pick a listed model';

/** The id mm puts on the wire for an entry (the local model: the pinned id first, as local.ts does). */
function wireOf(entry: RegistryEntry, config: Config): string {
  if (entry.integration === 'local') return config.models.local_llm.pinning.model_id ?? config.models.local_llm.model;
  return entry.wire_model ?? entry.id;
}

/**
 * Listed as is, or as a dated snapshot of it (Anthropic lists claude-haiku-4-5-20251001
 * and accepts claude-haiku-4-5), or with Ollama's implicit ":latest" tag.
 */
export function isListed(wire: string, ids: readonly string[]): boolean {
  const w = wire.toLowerCase();
  return ids.some((raw) => {
    const id = raw.toLowerCase();
    return id === w || id === `${w}:latest` || new RegExp(`^${escape(w)}-\\d{8}$`).test(id);
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The most likely listed replacement for a wire id the provider no longer lists. */
export function suggestReplacement(
  entry: RegistryEntry | undefined,
  wire: string,
  ids: readonly string[],
  registry: Registry,
): string | undefined {
  const listed = (id: string | undefined) => (id && isListed(id, ids) ? id : undefined);
  const former = registry.formerId(wire);
  const fromRegistry = former ? listed(former.entry.wire_model ?? former.entry.id) : undefined;
  if (fromRegistry) return fromRegistry;
  const successor = listed(entry?.successor);
  if (successor) return successor;
  // gemini-3-pro-image-preview → gemini-3-pro-image: a preview's GA name drops the suffix.
  const base = wire.replace(/-preview(?:-[\w.-]+)?$/, '');
  if (base !== wire && listed(base)) return base;
  const family = ids.filter((id) => id.startsWith(`${base}-`)).sort((a, b) => a.length - b.length)[0];
  if (family) return family;
  return didYouMean(wire, ids);
}

/** Every registry model a list was asked about, listed or not. */
export function compareWithLists(registry: Registry, config: Config, lists: readonly LiveList[]): LiveFinding[] {
  const findings: LiveFinding[] = [];
  for (const list of lists) {
    if (!list.ok) continue;
    for (const id of list.models) {
      const entry = registry.find(id);
      if (!entry) continue; // the config changed since: that model is no longer in the registry
      const wire = wireOf(entry, config);
      const listedNow = isListed(wire, list.ids);
      findings.push({
        model: entry.id,
        wire,
        at: list.at,
        listed: listedNow,
        ...(listedNow
          ? {}
          : {
              suggestion: suggestReplacement(entry, wire, list.ids, registry),
              ...(list.provider === 'codex-cli' ? { note: CODEX_CATALOG_NOTE } : {}),
            }),
      });
    }
  }
  return findings;
}

export interface ConfigWarning {
  /** The config key, e.g. "models.defaults.video_generation" or "routing.review.fallback". */
  key: string;
  value: string;
  message: string;
}

/**
 * Offline checks of the config against the registry's own lifecycle data: a value that
 * names a retired provider id (it still resolves, but say so), or a model the provider
 * has shut down.
 */
export function configWarnings(config: Config, registry: Registry): ConfigWarning[] {
  const refs: Array<[string, string]> = [
    ...Object.entries(config.models.defaults).map(([k, v]) => [`models.defaults.${k}`, v] as [string, string]),
    ['models.codex.default_model', config.models.codex.default_model],
    ['models.codex.fast_model', config.models.codex.fast_model],
    ['models.codex.general_model', config.models.codex.general_model],
    ['models.gemini.default_model', config.models.gemini.default_model],
    ['models.gemini.fast_model', config.models.gemini.fast_model],
    ['roles.architect', config.roles.architect],
    ['roles.coder', config.roles.coder],
    ...Object.entries(config.routing).flatMap(([k, chain]) => [
      [`routing.${k}.primary`, chain.primary] as [string, string],
      ...chain.fallback.map((f) => [`routing.${k}.fallback`, f] as [string, string]),
    ]),
  ];
  const warnings: ConfigWarning[] = [];
  for (const [key, value] of refs) {
    const former = registry.formerId(value);
    if (former) {
      warnings.push({
        key,
        value,
        message: `${key} = "${value}": ${former.former.note}; it resolves to ${former.entry.id} — write that instead`,
      });
      continue;
    }
    const entry = registry.find(value);
    if (entry?.status === 'shut_down' && registry.isEnabled(entry))
      warnings.push({
        key,
        value,
        message: `${key} = "${value}": ${entry.name} was shut down by ${entry.vendor}${entry.successor ? ` (successor: ${entry.successor})` : ''}: calls to it will fail`,
      });
  }
  return warnings;
}

/** Enabled models the registry itself knows are shut down (no network needed). */
export function shutDownEnabled(registry: Registry): RegistryEntry[] {
  return registry.entries.filter((e) => e.status === 'shut_down' && registry.isEnabled(e));
}
