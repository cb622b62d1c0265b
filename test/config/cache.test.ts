/**
 * The config cache's trust check: an entry is used only when its stored source is the
 * file's exact text, and only from a cache folder that is ours and not writable by others.
 */
import { chmodSync, copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheKey, readCachedConfig, writeCachedConfig } from '../../src/config/cache.ts';
import { parseConfigText } from '../../src/config/validate.ts';
import { tempDir } from '../helpers/repo.ts';

const SOURCE = '[models]\ncodex_enabled = true\n';
const FILE = '/project/.claude/config/multi-model.toml';
const key = cacheKey('0.1.0', FILE);
const uid = process.getuid!();

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { MM_CACHE_DIR: tempDir('mm-cache-') };
});
afterEach(() => {
  vi.restoreAllMocks();
});

const folder = (forUid = uid) => join(env.MM_CACHE_DIR!, `multimodel-${forUid}`);

describe('config cache trust check', () => {
  it('an entry made from the same text is a hit, with its key lines', () => {
    const parsed = parseConfigText(SOURCE, FILE);
    writeCachedConfig(key, SOURCE, parsed, env);
    const hit = readCachedConfig(key, SOURCE, env);
    expect(hit?.config.models.codex_enabled).toBe(true);
    expect(hit?.keyLines).toEqual(parsed.keyLines);
  });

  it('an entry whose stored source differs from the file by one byte is not used', () => {
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), env);
    expect(readCachedConfig(key, SOURCE.replace('true', 'tru3'), env)).toBeNull();
    expect(readCachedConfig(key, `${SOURCE}\n`, env)).toBeNull();
  });

  it('an entry that is not JSON (truncated, tampered) is a miss, not an error', () => {
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), env);
    writeFileSync(join(folder(), `config-${key}.json`), '{"source":');
    expect(readCachedConfig(key, SOURCE, env)).toBeNull();
  });

  it.each([0o770, 0o707, 0o777])('a cache folder others can write to (mode %o) is not trusted', (mode) => {
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), env);
    chmodSync(folder(), mode);
    expect(readCachedConfig(key, SOURCE, env)).toBeNull();
  });

  it('a cache folder owned by someone else is neither written nor read', () => {
    const other = uid + 4242;
    // mm believes it is another user: the folder it finds (made by this process) is not theirs.
    vi.spyOn(process, 'getuid').mockReturnValue(other);
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), env);
    expect(readdirSync(folder(other))).toEqual([]);
    // A byte-identical copy of an entry that hits for its owner is refused from that folder.
    vi.restoreAllMocks();
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), env);
    expect(readCachedConfig(key, SOURCE, env)).not.toBeNull();
    copyFileSync(join(folder(), `config-${key}.json`), join(folder(other), `config-${key}.json`));
    vi.spyOn(process, 'getuid').mockReturnValue(other);
    expect(readCachedConfig(key, SOURCE, env)).toBeNull();
  });

  it('MM_NO_CACHE turns the cache off both ways', () => {
    const off = { ...env, MM_NO_CACHE: '1' };
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), off);
    expect(readdirSync(env.MM_CACHE_DIR!)).toEqual([]);
    writeCachedConfig(key, SOURCE, parseConfigText(SOURCE, FILE), env);
    expect(readCachedConfig(key, SOURCE, off)).toBeNull();
  });
});
