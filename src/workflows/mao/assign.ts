/**
 * MAO model assignment: a routing key's chain (`[routing.<key>]`, defaults in
 * DEFAULT_ROUTING) filtered to enabled models, ending with the orchestration model as
 * the universal fallback (mao-v2 "Primary → Fallback → Opus"). Pure.
 */
import type { Config, RouteChain } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { claudeAccessFor } from '../../providers/claude-access.ts';

export interface Assignment {
  key: string;
  model: string;
  vendor: string;
  /** Enabled models to try next, in order. */
  fallbacks: string[];
  /** Chain members passed over, with why. */
  skipped: Array<{ model: string; reason: string }>;
  /** How each Claude model in the chain is reached ("api" or "cli"); only when the environment was given. */
  access?: Record<string, 'api' | 'cli'>;
}

/**
 * With `env`, a Claude model counts only when a way to it works here (an API key, or the
 * logged-in `claude` CLI), and the assignment says which way: the plan shows what will run.
 */
export function assign(
  key: string,
  config: Config,
  registry: Registry,
  defaultChain?: RouteChain,
  env?: NodeJS.ProcessEnv,
): Assignment {
  const chain = config.routing[key] ?? defaultChain;
  const universal = config.models.defaults.orchestration;
  const ids = [...new Set([...(chain ? [chain.primary, ...chain.fallback] : []), universal])];
  const usable: string[] = [];
  const skipped: Assignment['skipped'] = [];
  const access: Record<string, 'api' | 'cli'> = {};
  for (const id of ids) {
    const entry = registry.find(id);
    if (!entry) skipped.push({ model: id, reason: 'not in the registry' });
    else if (!registry.isEnabled(entry)) skipped.push({ model: entry.id, reason: 'integration disabled in [models]' });
    else if (env && entry.integration === 'claude') {
      const way = claudeAccessFor(entry, config, env);
      if (way.usable) {
        access[entry.id] = way.via;
        usable.push(entry.id);
      } else skipped.push({ model: entry.id, reason: `no way in: ${way.detail}` });
    } else usable.push(entry.id);
  }
  // The orchestration model is Claude (always enabled); a config naming something else may still leave nothing.
  const model = usable[0] ?? universal;
  return {
    key,
    model,
    vendor: registry.find(model)?.vendor ?? 'unknown',
    fallbacks: usable.slice(1),
    skipped,
    ...(env ? { access } : {}),
  };
}

/**
 * How varied the team is, 0–1: the mean of the share of distinct models and the share
 * of distinct vendors among the assignments. Five workstreams on five models from three
 * vendors score (5/5 + 3/5) / 2 = 0.8; everything on one model scores 0.2.
 */
export function diversityScore(assignments: Assignment[]): { score: number; models: number; vendors: number } {
  if (assignments.length === 0) return { score: 0, models: 0, vendors: 0 };
  const models = new Set(assignments.map((a) => a.model)).size;
  const vendors = new Set(assignments.map((a) => a.vendor)).size;
  const score = Math.round(((models / assignments.length + vendors / assignments.length) / 2) * 100) / 100;
  return { score, models, vendors };
}
