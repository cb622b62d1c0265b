/** What every asset command needs: config, registry, project root, ledger/guard, and flag readers. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultAssetServices, type AssetServices } from '../../assets/services.ts';
import { projectRoot } from '../../config/locate.ts';
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';
import type { CommandContext, ParsedArgs } from '../spec.ts';
import { readInputCapped } from '../../util/read-input.ts';
import { loadConfigFor } from '../config-context.ts';

export interface AssetContext {
  config: Config;
  registry: Registry;
  projectRoot: string;
  services: AssetServices;
  /** The config file as written (before defaults): tells a user's choice from a default. */
  raw: { models?: { defaults?: Record<string, unknown> } };
}

export async function assetContext(ctx: CommandContext): Promise<AssetContext> {
  const { config, registry, path, raw } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  return {
    config,
    registry,
    projectRoot: root,
    services: defaultAssetServices(root, config),
    raw: raw as AssetContext['raw'],
  };
}

export function requiredString(args: ParsedArgs, command: string, flag: string): string {
  const value = args.flags[flag];
  if (typeof value !== 'string' || value.trim() === '')
    throw new MmError('usage', `mm ${command}: --${flag} is required`, { hint: `see mm ${command} --help` });
  return value;
}

export function readTextFile(cwd: string, file: string, flag: string): string {
  const path = resolve(cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new MmError('input', `--${flag} ${file}: no such file`);
  return readInputCapped(path, `--${flag} ${file}`);
}

/** --prompt TEXT or --prompt-file FILE, exactly one. */
export function promptFrom(args: ParsedArgs, ctx: CommandContext, command: string): string {
  const inline = args.flags.prompt as string | undefined;
  const file = args.flags['prompt-file'] as string | undefined;
  if (inline !== undefined && file !== undefined)
    throw new MmError('usage', `mm ${command}: give --prompt or --prompt-file, not both`);
  const text = file !== undefined ? readTextFile(ctx.cwd, file, 'prompt-file') : inline;
  if (text === undefined || text.trim() === '')
    throw new MmError('usage', `mm ${command}: --prompt TEXT or --prompt-file FILE is required`, {
      hint: `see mm ${command} --help`,
    });
  return text;
}

export function timeoutMs(args: ParsedArgs, defaultSeconds: number): number {
  const seconds = (args.flags.timeout as number | undefined) ?? defaultSeconds;
  if (seconds <= 0) throw new MmError('usage', '--timeout must be at least 1 second');
  return seconds * 1000;
}

export const formatCost = (usd: number | null) => (usd === null ? 'cost unknown' : `~$${usd.toFixed(3)}`);
