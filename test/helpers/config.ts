import { readFileSync } from 'node:fs';
import { parseConfigText, plainClaudeCodeConfig } from '../../src/config/validate.ts';
import type { Config } from '../../src/config/schema.ts';
import { MmError } from '../../src/util/errors.ts';
import { buildRegistry, type Registry } from '../../src/registry/registry.ts';

/** The template as shipped (`mm config init` writes it): every external model off. */
export const SHIPPED_TEMPLATE = readFileSync(new URL('../../templates/multi-model.toml', import.meta.url), 'utf8');
/** The template with its suggested setup turned on (codex, gemini, nano-banana, sora). */
export const TEMPLATE = withSuggestedModels(SHIPPED_TEMPLATE);

/** Sets each `*_enabled = false  # suggested: true` flag to true, as the template tells users to. */
export function withSuggestedModels(toml: string): string {
  return toml.replace(/^(\w+_enabled) = false(\s+# suggested: true)/gm, '$1 = true $2');
}

export function configFrom(toml: string): { config: Config; registry: Registry } {
  const { config } = parseConfigText(toml, 'test.toml');
  return { config, registry: buildRegistry(config) };
}

/** The template with some keys replaced: `{ 'models.codex_enabled': false }`. */
export function templateWith(overrides: Record<string, unknown> = {}): { config: Config; registry: Registry } {
  const { config } = parseConfigText(TEMPLATE, 'template.toml');
  for (const [path, value] of Object.entries(overrides)) {
    const keys = path.split('.');
    let target = config as unknown as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
    target[keys.at(-1)!] = value;
  }
  return { config, registry: buildRegistry(config) };
}

export function plain(): { config: Config; registry: Registry } {
  const config = plainClaudeCodeConfig();
  return { config, registry: buildRegistry(config) };
}

/** Where the config errors of configError() say the file is. */
export const CONFIG_FILE = '/p/.claude/config/multi-model.toml';

/** The MmError a config text is refused with (as if read from CONFIG_FILE); throws when it is accepted. */
export function configError(source: string): MmError {
  try {
    parseConfigText(source, CONFIG_FILE);
  } catch (e) {
    if (e instanceof MmError) return e;
    throw e;
  }
  throw new Error('expected a config error');
}
