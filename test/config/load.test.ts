import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { findConfigFile, projectRoot, projectRootOf } from '../../src/config/locate.ts';
import { locateKeys, lineOf } from '../../src/config/toml-locations.ts';
import { MmError } from '../../src/util/errors.ts';
import { tempDir } from '../helpers/repo.ts';

let dir: string;
let cacheDir: string;
let env: NodeJS.ProcessEnv;

function writeConfig(root: string, text: string): string {
  const path = join(root, '.claude', 'config', 'multi-model.toml');
  mkdirSync(join(root, '.claude', 'config'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

beforeEach(() => {
  dir = tempDir();
  cacheDir = tempDir('mm-cache-');
  env = { MM_CACHE_DIR: cacheDir };
});

describe('finding the config', () => {
  it('walks up from the working directory', () => {
    const path = writeConfig(dir, '[models]\ncodex_enabled = true\n');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    expect(findConfigFile({ cwd: join(dir, 'a', 'b'), env: {} })).toEqual({ path, origin: 'walk' });
    expect(projectRootOf(path)).toBe(dir);
    expect(projectRoot(join(dir, 'a', 'b'), path)).toBe(dir);
  });

  it('--config wins over MM_CONFIG, which wins over the walk', () => {
    writeConfig(dir, '');
    const flagged = join(dir, 'flag.toml');
    const fromEnv = join(dir, 'env.toml');
    expect(findConfigFile({ cwd: dir, explicitPath: 'flag.toml', env: { MM_CONFIG: fromEnv } })).toEqual({
      path: flagged,
      origin: 'flag',
    });
    expect(findConfigFile({ cwd: dir, env: { MM_CONFIG: fromEnv } })).toEqual({ path: fromEnv, origin: 'env' });
  });

  it('no file anywhere is plain Claude Code', async () => {
    const loaded = await loadConfig({ cwd: dir, env });
    expect(loaded.path).toBeNull();
    expect(loaded.origin).toBe('none');
    expect(loaded.config.models.codex_enabled).toBe(false);
    expect(loaded.config.checkpoints.pr_cross_review).toBe('off');
  });

  it('a file named by --config or MM_CONFIG that does not exist is an error naming it', async () => {
    await expect(loadConfig({ cwd: dir, explicitPath: 'nope.toml', env })).rejects.toThrow(
      /cannot read config .*nope\.toml: no such file/,
    );
    const err = await loadConfig({ cwd: dir, env: { ...env, MM_CONFIG: join(dir, 'gone.toml') } }).catch(
      (e: MmError) => e,
    );
    expect(err).toBeInstanceOf(MmError);
    expect((err as MmError).kind).toBe('config');
    expect((err as MmError).hint).toContain('MM_CONFIG');
  });
});

describe('the validated-config cache', () => {
  it('serves a repeat load from the cache and misses after any edit', async () => {
    const path = writeConfig(dir, '[models]\ncodex_enabled = true\n');
    const first = await loadConfig({ cwd: dir, env });
    expect(readdirSync(join(cacheDir, readdirSync(cacheDir)[0]!))).toHaveLength(1);
    const second = await loadConfig({ cwd: dir, env });
    expect(second.config).toEqual(first.config);
    expect(second.keyLines.get('models.codex_enabled')).toBe(2);

    writeFileSync(path, '[models]\ncodex_enabled = false\n');
    expect((await loadConfig({ cwd: dir, env })).config.models.codex_enabled).toBe(false);
    writeFileSync(path, '[models]\ncodex_enabled = "no"\n');
    await expect(loadConfig({ cwd: dir, env })).rejects.toThrow(/invalid configuration/);
  });

  it('keeps warnings on a cache hit', async () => {
    writeConfig(dir, '[modles]\n');
    expect((await loadConfig({ cwd: dir, env })).warnings).toHaveLength(1);
    expect((await loadConfig({ cwd: dir, env })).warnings[0]).toContain('did you mean "models"');
  });

  it('MM_NO_CACHE disables it', async () => {
    writeConfig(dir, '');
    await loadConfig({ cwd: dir, env: { ...env, MM_NO_CACHE: '1' } });
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe('key locations', () => {
  const source = [
    '# top',
    '[models]',
    'codex_enabled = true',
    '',
    '[models.effort_policy]',
    'plan_review = { claude = "adaptive", codex = "medium" }',
    '',
    '[thresholds]',
    'security_sensitive_patterns = [',
    '  "auth", "[not a table]",',
    ']',
    'files_changed_suggest_review = 3',
    'text = """',
    'x = 1',
    '"""',
    '[[registry.models]]',
    'id = "a"',
    '[[registry.models]]',
    '"id" = "b"',
    'models.dotted.key = 1',
  ].join('\n');
  const lines = locateKeys(source);

  it('follows tables, inline tables, multi-line arrays and strings, and arrays of tables', () => {
    expect(lines.get('models.codex_enabled')).toBe(3);
    expect(lines.get('models.effort_policy.plan_review.codex')).toBe(6);
    expect(lines.get('thresholds.security_sensitive_patterns')).toBe(9);
    expect(lines.get('thresholds.files_changed_suggest_review')).toBe(12);
    expect(lines.has('thresholds.x')).toBe(false);
    expect(lines.get('registry.models.0.id')).toBe(17);
    expect(lines.get('registry.models.1.id')).toBe(19);
    expect(lines.get('registry.models.1.models.dotted.key')).toBe(20);
  });

  it('falls back to the nearest recorded parent', () => {
    expect(lineOf(lines, ['thresholds', 'security_sensitive_patterns', '1'])).toBe(9);
    expect(lineOf(lines, ['nothing'])).toBeUndefined();
  });
});
