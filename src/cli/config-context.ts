import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { buildRegistry, type Registry } from '../registry/registry.ts';
import type { CommandContext } from './spec.ts';

/** Loads the config for a command and reports its warnings on stderr. */
export async function loadConfigFor(ctx: CommandContext): Promise<LoadedConfig & { registry: Registry }> {
  const loaded = await loadConfig({ cwd: ctx.cwd, explicitPath: ctx.configPath, env: ctx.env });
  for (const w of loaded.warnings) ctx.stderr(`mm: warning: ${w}`);
  return { ...loaded, registry: buildRegistry(loaded.config) };
}

export const printJson = (ctx: Pick<CommandContext, 'stdout'>, value: unknown): void =>
  ctx.stdout(JSON.stringify(value, null, 2));
