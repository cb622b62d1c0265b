/**
 * Parses and validates config text with smol-toml and zod. Loaded lazily (load.ts):
 * a config already validated is served from the cache without either library.
 */
import { TomlError, parse as parseToml } from 'smol-toml';
import type { z } from 'zod';
import { MmError } from '../util/errors.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { configSchema, DEFAULT_ROUTING, EFFORT_TASKS, type Config } from './schema.ts';
import { lineOf, locateKeys, type KeyLines } from './toml-locations.ts';
import { findUnknownKeys } from './unknown-keys.ts';
import { isKnownTask, knownTaskNames } from '../policy/tasks.ts';
import { formatPath } from './key-path.ts';

const MAX_UNKNOWN_KEYS = 200;

/** Parse and validate config text; `file` is used in messages. */
/** A config file read and validated (load.ts adds how it was found). */
export interface ParsedConfig {
  config: Config;
  /** The file read, or null when none was found (plain Claude Code). */
  path: string | null;
  /** Key path → line in the file, for every key the file sets. */
  keyLines: KeyLines;
  /** The raw parsed TOML (before defaults), to tell set keys from defaults. */
  raw: Record<string, unknown>;
  warnings: string[];
}

export function parseConfigText(source: string, file: string): ParsedConfig {
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(source) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = e.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/i, '');
      throw new MmError('config', `${file}:${e.line}:${e.column}: TOML syntax error: ${reason}`);
    }
    throw e;
  }
  const keyLines = locateKeys(source);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => ({
        line: lineOf(keyLines, issue.path.map(String)) ?? 0,
        text: describeIssue(issue, raw, keyLines, file),
      }))
      .sort((a, b) => a.line - b.line)
      .map((d) => d.text);
    throw new MmError(
      'config',
      `${file}: invalid configuration (${details.length} problem${details.length === 1 ? '' : 's'})`,
      {
        details,
        hint: 'run `mm config check` after fixing; `mm config init --force` writes a fresh commented template',
      },
    );
  }
  const unknown = findUnknownKeys(configSchema, raw);
  // A few unknown keys are a newer mm's config; hundreds mean this is not an mm config at all.
  if (unknown.length > MAX_UNKNOWN_KEYS)
    throw new MmError(
      'config',
      `${file}: ${unknown.length} unknown keys (first: ${formatPath(unknown[0]!.path)}); is this the multi-model config?`,
      { hint: '`mm config init --force` writes a fresh commented template' },
    );
  const config = result.data;
  config.routing = { ...structuredClone(DEFAULT_ROUTING), ...config.routing };
  const unknownTasks = alwaysLocalProblems(config, keyLines, file);
  if (unknownTasks.length)
    throw new MmError(
      'config',
      `${file}: invalid configuration (${unknownTasks.length} problem${unknownTasks.length === 1 ? '' : 's'})`,
      { details: unknownTasks, hint: `task names: ${knownTaskNames(config).join(', ')}` },
    );
  const warnings = [
    ...unknown.map((u) => {
      const where = `${file}:${lineOf(keyLines, u.path) ?? '?'}`;
      return `${where}: unknown key ${formatPath(u.path)}${u.suggestion ? ` (did you mean "${u.suggestion}"?)` : ''}; ignored`;
    }),
    ...effortPolicyTypos(raw, keyLines, file),
  ];
  return { config, path: file, keyLines, raw, warnings };
}

/** The config a project without a file gets: exactly plain Claude Code. */
export function plainClaudeCodeConfig(): Config {
  const config = configSchema.parse({});
  config.routing = structuredClone(DEFAULT_ROUTING);
  for (const name of Object.keys(config.checkpoints) as Array<keyof Config['checkpoints']>) {
    config.checkpoints[name] = 'off';
  }
  return config;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = raw;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (typeof v === 'object' && v !== null) return 'a table';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, keyLines: KeyLines, file: string): string {
  const path = issue.path as PropertyKey[];
  const where = `${file}:${lineOf(keyLines, path.map(String)) ?? '?'}`;
  const key = formatPath(path) || '(top level)';
  const actual = valueAt(raw, path);
  let what: string;
  switch (issue.code) {
    case 'invalid_type':
      what = `expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, got ${describeValue(actual)}`;
      break;
    case 'invalid_value':
      what = `${describeValue(actual)} is not allowed; allowed values: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'too_small':
      what = `${describeValue(actual)} is too small (${issue.inclusive ? 'minimum' : 'must be more than'} ${String(issue.minimum)})`;
      break;
    case 'too_big':
      what = `${describeValue(actual)} is too big (${issue.inclusive ? 'maximum' : 'must be less than'} ${String(issue.maximum)})`;
      break;
    default:
      what = `${issue.message}${actual !== undefined ? ` (got ${describeValue(actual)})` : ''}`;
  }
  return `${where}: ${key}: ${what}`;
}

function effortPolicyTypos(raw: Record<string, unknown>, keyLines: KeyLines, file: string): string[] {
  const policy = valueAt(raw, ['models', 'effort_policy']);
  if (!policy || typeof policy !== 'object') return [];
  const known = Object.keys(EFFORT_TASKS);
  return Object.keys(policy)
    .filter((k) => k !== 'escalation_requires_artifacts' && !known.includes(k))
    .flatMap((k) => {
      const suggestion = didYouMean(k, [...known, 'escalation_requires_artifacts']);
      if (!suggestion) return [];
      const path = ['models', 'effort_policy', k];
      return [
        `${file}:${lineOf(keyLines, path) ?? '?'}: ${formatPath(path)} is not a built-in task (did you mean "${suggestion}"?); kept as a custom task`,
      ];
    });
}

/**
 * `always_local` names tasks of the task table (or the config's own rows and chains): a
 * misspelt name would silently send privacy work out, so it is an error, not a warning.
 */
function alwaysLocalProblems(config: Config, keyLines: KeyLines, file: string): string[] {
  const path = ['models', 'local_llm', 'always_local'];
  const where = `${file}:${lineOf(keyLines, path) ?? '?'}`;
  return config.models.local_llm.always_local
    .filter((name) => !isKnownTask(name, config))
    .map((name) => {
      const suggestion = didYouMean(name, knownTaskNames(config));
      return `${where}: ${formatPath(path)}: "${name}" is not a known task${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    });
}
