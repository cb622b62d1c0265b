/**
 * Which adapter serves a target ("codex", "gemini", "local", "claude" or a registry
 * id/alias), and with which registry model.
 */
import type { RegistryEntry } from '../registry/models.ts';
import { MmError } from '../util/errors.ts';
import { claudeAccessFor } from './claude-access.ts';
import { codexModelFor } from './codex.ts';
import { geminiModelFor } from './gemini.ts';
import type { InvokeContext, InvokeRequest } from './types.ts';

export type AdapterKind = 'codex' | 'gemini' | 'local' | 'claude' | 'claude-cli';

/** Both ways to Claude: the Messages API adapter and the `claude` CLI adapter. */
export const isClaudeAdapter = (adapter: AdapterKind): boolean => adapter === 'claude' || adapter === 'claude-cli';

export interface ResolvedTarget {
  adapter: AdapterKind;
  /** Registry id (or a wire name the registry does not know). */
  model: string;
  entry?: RegistryEntry;
}

const BY_ACCESS: Partial<Record<RegistryEntry['access']['kind'], AdapterKind>> = {
  'codex-cli': 'codex',
  'gemini-cli': 'gemini',
  ollama: 'local',
  'openai-compatible': 'local',
  anthropic: 'claude',
  'claude-code': 'claude',
  'claude-cli': 'claude-cli',
};

/** A provider name picks its model from the request (model, effort, task); anything else is a registry model. */
export function resolveTarget(
  target: string,
  request: Pick<InvokeRequest, 'model' | 'effort' | 'task'>,
  ctx: InvokeContext,
): ResolvedTarget {
  const t = target.toLowerCase();
  if (t === 'codex' || t === 'gemini' || t === 'local' || t === 'claude') {
    const chosen = request.model ?? defaultModel(t, request, ctx);
    const entry = ctx.registry.find(chosen);
    if (request.model && !entry && t !== 'codex' && t !== 'gemini') ctx.registry.get(request.model, '--model'); // throws with a suggestion
    // Another adapter's model would be sent to the wrong API, or (local) silently replaced by the local model.
    const served = entry ? BY_ACCESS[entry.access.kind] : undefined;
    if (request.model && served && (served === 'claude-cli' ? 'claude' : served) !== t) {
      throw new MmError('usage', `--model ${request.model} is served by ${served}, not ${t}`, {
        hint: `mm ask ${entry!.id}`,
      });
    }
    return { adapter: t === 'claude' ? claudeAdapter(entry, ctx) : t, model: entry?.id ?? chosen, entry };
  }
  const entry = ctx.registry.get(request.model ?? target, 'the target');
  const adapter = BY_ACCESS[entry.access.kind];
  if (!adapter) {
    throw new MmError(
      'usage',
      `${entry.id} is reached through ${entry.access.kind}, which \`mm ask\` does not drive (text models only)`,
      {
        hint: 'image and video models have their own commands',
      },
    );
  }
  return { adapter: adapter === 'claude' ? claudeAdapter(entry, ctx) : adapter, model: entry.id, entry };
}

/** A Claude model goes through the API or the logged-in CLI, per [models.claude]. */
function claudeAdapter(entry: RegistryEntry | undefined, ctx: InvokeContext): AdapterKind {
  return claudeAccessFor(entry, ctx.loaded.config, ctx.env).via === 'cli' ? 'claude-cli' : 'claude';
}

function defaultModel(
  adapter: AdapterKind,
  request: Pick<InvokeRequest, 'effort' | 'task'>,
  ctx: InvokeContext,
): string {
  switch (adapter) {
    case 'codex':
      return codexModelFor({ task: request.task }, ctx);
    case 'gemini':
      return geminiModelFor({ task: request.task, effort: request.effort }, ctx);
    case 'local':
      return 'local-llm';
    case 'claude':
    case 'claude-cli':
      return ctx.loaded.config.models.defaults.implementation;
  }
}
