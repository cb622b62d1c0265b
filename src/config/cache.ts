/**
 * A validated config, cached by content: `mm` runs on Claude Code's hook path, and
 * parsing TOML plus loading zod costs more than the rest of `mm route` together. An
 * entry is found by mm's version and the file path, and used only if the file's text
 * is exactly the text it was made from, so any edit misses. Kept in a per-user temp
 * folder (mode 0700), never in the user's repository.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { ParsedConfig } from './validate.ts';

type Cached = Omit<ParsedConfig, 'keyLines'> & { keyLines: Array<[string, number]>; source: string };

/** The cache folder if it is ours and private; created on demand for writes. */
function cacheDir(env: NodeJS.ProcessEnv, create: boolean): string | null {
  if (env.MM_NO_CACHE) return null;
  try {
    const uid = process.getuid?.() ?? userInfo().uid;
    const dir = join(env.MM_CACHE_DIR || tmpdir(), `multimodel-${uid}`);
    if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    // Someone else's folder, or one others can write to, is not trusted.
    if (st.uid !== uid || (st.mode & 0o022) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}

/** FNV-1a over version and path: picks the cache file; the stored source decides a hit. */
export function cacheKey(version: string, path: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of `${version}\0${path}`) {
    const c = ch.codePointAt(0)!;
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export function readCachedConfig(key: string, source: string, env: NodeJS.ProcessEnv): ParsedConfig | null {
  const dir = cacheDir(env, false);
  if (!dir) return null;
  try {
    const { source: cachedSource, ...cached } = JSON.parse(
      readFileSync(join(dir, `config-${key}.json`), 'utf8'),
    ) as Cached;
    if (cachedSource !== source) return null;
    return { ...cached, keyLines: new Map(cached.keyLines) };
  } catch {
    return null;
  }
}

export function writeCachedConfig(key: string, source: string, loaded: ParsedConfig, env: NodeJS.ProcessEnv): void {
  const dir = cacheDir(env, true);
  if (!dir) return;
  const cached: Cached = { ...loaded, keyLines: [...loaded.keyLines], source };
  try {
    writeFileAtomic(join(dir, `config-${key}.json`), JSON.stringify(cached), { mode: 0o600 });
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
