/**
 * The last `mm models refresh` answer, kept with the project's other mm state
 * (`.claude/mm/models-live.json`) so `mm doctor` and `mm models` can warn about retired
 * ids without a network call. Only those two commands read it; `mm check`, `mm route`
 * and the Stop hook never do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { ensureMmStateIgnored, mmStateDir } from '../util/mm-state.ts';
import type { LiveList, SkippedSource } from './live-lists.ts';

export interface LiveCache {
  version: 1;
  /** ISO time of the refresh. */
  checked_at: string;
  lists: LiveList[];
  skipped: SkippedSource[];
}

/** After this many days `mm doctor` says the answer is old. */
export const LIVE_CACHE_STALE_DAYS = 30;

export const liveCachePath = (projectRoot: string): string => join(mmStateDir(projectRoot), 'models-live.json');

/** The cached answer, or null when there is none or it cannot be read (a warning, never an error). */
export function readLiveCache(projectRoot: string): { cache: LiveCache | null; problem?: string } {
  const path = liveCachePath(projectRoot);
  if (!existsSync(path)) return { cache: null };
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as LiveCache;
    if (data?.version !== 1 || typeof data.checked_at !== 'string' || !Array.isArray(data.lists))
      return { cache: null, problem: `${path} is not a model-list cache this mm can read: run \`mm models refresh\`` };
    return { cache: data };
  } catch (e) {
    return { cache: null, problem: `${path} is unreadable (${(e as Error).message}): run \`mm models refresh\`` };
  }
}

export function writeLiveCache(projectRoot: string, cache: LiveCache): string {
  ensureMmStateIgnored(projectRoot);
  const path = liveCachePath(projectRoot);
  writeFileAtomic(path, `${JSON.stringify(cache, null, 2)}\n`);
  return path;
}

export function cacheAgeDays(cache: LiveCache, now = Date.now()): number {
  return Math.floor((now - Date.parse(cache.checked_at)) / 86_400_000);
}
