/**
 * Finds and loads the config. Without a file the result is "plain Claude Code": every
 * external integration off, every checkpoint off. A file is validated once (validate.ts,
 * smol-toml + zod, loaded lazily) and then served from a content-keyed cache.
 */
import { readFileSync } from 'node:fs';
import pkg from '../../package.json' with { type: 'json' };
import { MmError } from '../util/errors.ts';
import { cacheKey, readCachedConfig, writeCachedConfig } from './cache.ts';
import { findConfigFile, type ConfigLocation } from './locate.ts';
import type { Config } from './schema.ts';
import type { ParsedConfig } from './validate.ts';

export interface LoadedConfig extends ParsedConfig {
  /** How the file was chosen: --config, MM_CONFIG, or the walk up from the cwd. */
  origin: ConfigLocation['origin'] | 'none';
}

export interface LoadOptions {
  cwd?: string;
  /** --config FILE */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
}

/** Replaced at build time by the plain-Claude-Code config computed from the schema. */
declare const __MM_PLAIN_CONFIG__: Config | undefined;

export async function loadConfig(opts: LoadOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const location = findConfigFile({ cwd: opts.cwd ?? process.cwd(), explicitPath: opts.explicitPath, env });
  if (!location) return plainClaudeCode();
  let source: string;
  try {
    source = readFileSync(location.path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new MmError('config', `cannot read config ${location.path}: ${reason}`, {
      hint:
        location.origin === 'walk'
          ? undefined
          : `it was named by ${location.origin === 'flag' ? '--config' : 'MM_CONFIG'}`,
    });
  }
  // The schema's defaults stand in for its shape: a build whose schema changed (same version) misses.
  const schemaStamp = typeof __MM_PLAIN_CONFIG__ !== 'undefined' ? JSON.stringify(__MM_PLAIN_CONFIG__) : 'dev';
  const key = cacheKey(`${pkg.version}\0${schemaStamp}`, location.path);
  const cached = readCachedConfig(key, source, env);
  if (cached) return { ...cached, origin: location.origin };
  const { parseConfigText } = await import('./validate.ts');
  const loaded = parseConfigText(source, location.path);
  writeCachedConfig(key, source, loaded, env);
  return { ...loaded, origin: location.origin };
}

async function plainClaudeCode(): Promise<LoadedConfig> {
  const config: Config =
    typeof __MM_PLAIN_CONFIG__ !== 'undefined'
      ? structuredClone(__MM_PLAIN_CONFIG__)
      : (await import('./validate.ts')).plainClaudeCodeConfig();
  return { config, path: null, origin: 'none', keyLines: new Map(), raw: {}, warnings: [] };
}
