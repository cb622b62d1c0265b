import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_RELATIVE_PATH = join('.claude', 'config', 'multi-model.toml');

export interface ConfigLocation {
  path: string;
  origin: 'flag' | 'env' | 'walk';
}

/**
 * `--config FILE` wins, then `MM_CONFIG`, then the nearest
 * `.claude/config/multi-model.toml` walking up from the working directory.
 */
export function findConfigFile(opts: {
  cwd: string;
  explicitPath?: string;
  env: NodeJS.ProcessEnv;
}): ConfigLocation | null {
  if (opts.explicitPath) return { path: resolve(opts.cwd, opts.explicitPath), origin: 'flag' };
  const fromEnv = opts.env.MM_CONFIG;
  if (fromEnv) return { path: resolve(opts.cwd, fromEnv), origin: 'env' };
  for (let dir = resolve(opts.cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_RELATIVE_PATH);
    if (existsSync(candidate)) return { path: candidate, origin: 'walk' };
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The project a config file belongs to: the folder holding `.claude/config/…`.
 * A file given by flag or env elsewhere has no project of its own.
 */
export function projectRootOf(configPath: string): string | null {
  const configDir = dirname(configPath);
  const claudeDir = dirname(configDir);
  if (configDir.endsWith(join('.claude', 'config')) && claudeDir.endsWith('.claude')) return dirname(claudeDir);
  return null;
}

/**
 * Where `.claude/mm/` state lives: the project of the config file, else the nearest
 * folder with `.git` or `.claude`, else the working directory. No git process is spawned.
 */
export function projectRoot(cwd: string, configPath: string | null): string {
  if (configPath) {
    const root = projectRootOf(configPath);
    if (root) return root;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git')) || existsSync(join(dir, '.claude'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}
