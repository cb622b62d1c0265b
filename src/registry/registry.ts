/**
 * The effective registry: built-in models with config applied (CLI commands, local
 * endpoint) plus the user's own `[[registry.models]]`, looked up by id or alias.
 */
import type { Config, UserModel } from '../config/schema.ts';
import { MmError } from '../util/errors.ts';
import { geminiCliOf } from '../config/gemini-cli.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { builtinModels, type Integration, type RegistryEntry } from './models.ts';
import { CAPABILITIES, type FormerId } from './types.ts';

export interface Registry {
  entries: RegistryEntry[];
  /** A model by id or alias, or undefined. */
  find(idOrAlias: string): RegistryEntry | undefined;
  /** Like find, but a clear error (with a suggestion) when unknown. */
  get(idOrAlias: string, context?: string): RegistryEntry;
  /** When `name` is a retired or renamed provider id: the entry it now resolves to, and why. */
  formerId(name: string): { entry: RegistryEntry; former: FormerId } | undefined;
  isEnabled(entry: RegistryEntry): boolean;
}

const ENABLE_FLAG: Record<Exclude<Integration, 'claude' | 'custom'>, keyof Config['models']> = {
  codex: 'codex_enabled',
  gemini: 'gemini_enabled',
  'nano-banana': 'nano_banana_enabled',
  sora: 'sora_enabled',
  local: 'local_llm_enabled',
  'claude-teams': 'claude_teams_enabled',
};

export function enableFlagOf(integration: Integration): string | undefined {
  return integration === 'claude' || integration === 'custom' ? undefined : ENABLE_FLAG[integration];
}

function fromUserModel(model: UserModel): RegistryEntry {
  const tier = model.cost_tier;
  return {
    id: model.id,
    name: model.name ?? model.id,
    vendor: 'user',
    integration: 'custom',
    wire_model: model.model,
    aliases: [],
    context_in: model.context_in ?? null,
    context_out: model.context_out ?? null,
    best_for: model.best_for,
    hazards: model.hazards,
    capabilities: model.capabilities.filter((c): c is RegistryEntry['capabilities'][number] =>
      (CAPABILITIES as readonly string[]).includes(c),
    ),
    cost_tier: tier,
    prices:
      model.price_in_per_mtok !== undefined || model.price_out_per_mtok !== undefined
        ? { input_per_mtok: model.price_in_per_mtok, output_per_mtok: model.price_out_per_mtok }
        : null,
    access: {
      kind: model.provider,
      command: model.command,
      endpoint: model.endpoint,
      key_env: model.api_key_env ? [model.api_key_env] : [],
    },
    effort: { mechanism: model.provider === 'codex-cli' ? 'reasoning effort' : 'none', levels: [] },
  };
}

export function buildRegistry(config: Config): Registry {
  const userModels = config.registry.models;
  const userIds = new Set(userModels.map((m) => m.id));
  const entries: RegistryEntry[] = builtinModels()
    .filter((m) => !userIds.has(m.id)) // a user entry with a built-in id replaces it
    .map((m) => withConfig(m, config));
  entries.push(...userModels.map(fromUserModel));

  const byName = new Map<string, RegistryEntry>();
  for (const e of entries) byName.set(e.id.toLowerCase(), e);
  for (const e of entries) for (const a of e.aliases) if (!byName.has(a.toLowerCase())) byName.set(a.toLowerCase(), e);
  // Old provider ids keep working (a config written last year still routes), resolving to today's entry.
  const former = new Map<string, { entry: RegistryEntry; former: FormerId }>();
  for (const e of entries)
    for (const f of e.former_ids ?? []) {
      const key = f.id.toLowerCase();
      if (byName.has(key)) continue;
      byName.set(key, e);
      former.set(key, { entry: e, former: f });
    }
  const enabledUser = new Map(userModels.map((m) => [m.id, m.enabled]));

  return {
    entries,
    find: (name) => byName.get(name.toLowerCase()),
    formerId: (name) => former.get(name.toLowerCase()),
    get(name, context) {
      const found = byName.get(name.toLowerCase());
      if (found) return found;
      const suggestion = didYouMean(name, byName.keys());
      throw new MmError(
        'config',
        `unknown model "${name}"${context ? ` in ${context}` : ''}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        {
          hint: 'run `mm models` for the registry; add your own under [[registry.models]]',
        },
      );
    },
    isEnabled(entry) {
      if (entry.integration === 'claude') return true;
      if (entry.integration === 'custom') return enabledUser.get(entry.id) ?? false;
      return config.models[ENABLE_FLAG[entry.integration]] === true;
    },
  };
}

function withConfig(entry: RegistryEntry, config: Config): RegistryEntry {
  switch (entry.integration) {
    case 'codex':
      return { ...entry, access: { ...entry.access, command: config.models.codex.command } };
    case 'gemini':
      return { ...entry, access: { ...entry.access, command: geminiCliOf(config).command } };
    case 'local': {
      const local = config.models.local_llm;
      return {
        ...entry,
        wire_model: local.model,
        access: { ...entry.access, kind: local.api, endpoint: local.endpoint },
      };
    }
    default:
      return entry;
  }
}
