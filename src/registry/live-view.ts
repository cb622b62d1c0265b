/** What the last `mm models refresh` said, read from its cache: no network. Shared by `mm models` and `mm doctor`. */
import type { Config } from '../config/schema.ts';
import { cacheAgeDays, readLiveCache, type LiveCache } from './live-cache.ts';
import { compareWithLists, type LiveFinding } from './live-check.ts';
import type { Registry } from './registry.ts';

export interface LiveView {
  cache: LiveCache | null;
  problem?: string;
  findings: LiveFinding[];
  ageDays: number | null;
}

export function liveView(root: string, registry: Registry, config: Config): LiveView {
  const { cache, problem } = readLiveCache(root);
  if (!cache) return { cache, problem, findings: [], ageDays: null };
  return { cache, findings: compareWithLists(registry, config, cache.lists), ageDays: cacheAgeDays(cache) };
}
