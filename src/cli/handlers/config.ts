import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONFIG_RELATIVE_PATH, projectRoot } from '../../config/locate.ts';
import { formatPath } from '../../config/key-path.ts';
import { loadConfig } from '../../config/load.ts';
import { optInHelp } from '../../config/opt-in.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { MmError } from '../../util/errors.ts';
import { assets } from '../../util/package-root.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export function configTemplate(): string {
  return readFileSync(join(assets().templates, 'multi-model.toml'), 'utf8');
}

export const runConfigInit: Handler = async ({ flags }, ctx) => {
  const target =
    typeof flags.path === 'string'
      ? resolve(ctx.cwd, flags.path)
      : join(projectRoot(ctx.cwd, null), CONFIG_RELATIVE_PATH);
  const shown = relative(ctx.cwd, target) || target;
  if (existsSync(target) && flags.force !== true) {
    throw new MmError('input', `${shown} already exists; not overwritten`, {
      hint: 'pass --force to replace it with the template',
    });
  }
  writeFileAtomic(target, configTemplate());
  if (ctx.json) printJson(ctx, { written: target });
  else ctx.stdout(`wrote ${shown}\n${optInHelp(shown)}`);
  return 0;
};

export const runConfigCheck: Handler = async (_args, ctx) => {
  // loadConfig throws a config error (exit 2) listing every problem.
  const loaded = await loadConfig({ cwd: ctx.cwd, explicitPath: ctx.configPath, env: ctx.env });
  for (const w of loaded.warnings) ctx.stderr(`mm: warning: ${w}`);
  if (ctx.json) printJson(ctx, { valid: true, config: loaded.path, warnings: loaded.warnings });
  else
    ctx.stdout(
      loaded.path
        ? `${loaded.path}: valid${loaded.warnings.length ? ` (${loaded.warnings.length} warning${loaded.warnings.length === 1 ? '' : 's'})` : ''}`
        : 'no config file found: plain Claude Code (every external model off). `mm config init` writes one.',
    );
  return 0;
};

export const runConfigShow: Handler = async (_args, ctx) => {
  const { config, path, keyLines, raw } = await loadConfigFor(ctx);
  const sources: Record<string, string> = {};
  const rows: Array<[string, unknown, string]> = [];
  const walk = (value: unknown, keyPath: string[], rawValue: unknown) => {
    const isTable = value !== null && typeof value === 'object' && !Array.isArray(value);
    const isTableArray = Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object');
    if ((isTable || isTableArray) && (isTableArray || Object.keys(value as object).length > 0)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        walk(
          v,
          [...keyPath, k],
          rawValue && typeof rawValue === 'object' ? (rawValue as Record<string, unknown>)[k] : undefined,
        );
      }
      return;
    }
    const key = formatPath(keyPath);
    const line = keyLines.get(keyPath.join('.'));
    const source =
      rawValue !== undefined
        ? `${path}:${line ?? '?'}`
        : path
          ? 'default'
          : 'default (no config file: plain Claude Code)';
    sources[key] = source;
    rows.push([key, value, source]);
  };
  walk(config, [], raw);
  if (ctx.json) {
    printJson(ctx, { config: path, values: config, sources });
    return 0;
  }
  ctx.stdout(
    path
      ? `# effective config from ${path} (+ defaults)`
      : '# no config file: plain Claude Code — every external model off, every checkpoint off',
  );
  const width = Math.min(56, Math.max(...rows.map(([k, v]) => `${k} = ${JSON.stringify(v)}`.length)));
  for (const [k, v, s] of rows) ctx.stdout(`${`${k} = ${JSON.stringify(v)}`.padEnd(width)}  # ${s}`);
  return 0;
};
