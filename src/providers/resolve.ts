/**
 * Which adapter serves a target ("codex", "gemini", "local", "claude" or a registry
 * id/alias), and with which registry model.
 */
import type { RegistryEntry } from '../registry/models.ts';
import { MmError } from '../util/errors.ts';
import type { InvokeContext } from './types.ts';

export type AdapterKind = 'codex' | 'gemini' | 'local' | 'claude';

export interface ResolvedTarget {
  adapter: AdapterKind;
  /** Registry id, or undefined to let the adapter choose by task (codex, gemini). */
  model?: string;
  entry?: RegistryEntry;
}

const BY_ACCESS: Partial<Record<RegistryEntry['access']['kind'], AdapterKind>> = {
  'codex-cli': 'codex',
  'gemini-cli': 'gemini',
  ollama: 'local',
  'openai-compatible': 'local',
  anthropic: 'claude',
  'claude-code': 'claude',
};

export function resolveTarget(target: string, model: string | undefined, ctx: InvokeContext): ResolvedTarget {
  const t = target.toLowerCase();
  if (t === 'codex' || t === 'gemini' || t === 'local' || t === 'claude') {
    const entry = model ? ctx.registry.get(model, '--model') : undefined;
    return { adapter: t, model: entry?.id ?? model, entry };
  }
  const entry = ctx.registry.get(model ?? target, 'the target');
  const adapter = BY_ACCESS[entry.access.kind];
  if (!adapter) {
    throw new MmError('usage', `${entry.id} is reached through ${entry.access.kind}, which \`mm ask\` does not drive (text models only)`, {
      hint: 'image and video models have their own commands',
    });
  }
  return { adapter, model: entry.id, entry };
}
