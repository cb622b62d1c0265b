/** Where a planned call's model will not receive an asked-for temperature or max_tokens (said, never pretended). */
import type { Registry } from '../../registry/registry.ts';
import { resolveTarget } from '../../providers/resolve.ts';
import { ignoredSampling } from '../../providers/sampling.ts';
import type { InvokeContext } from '../../providers/types.ts';
import type { PlannedCall } from './types.ts';

export function ignoredParams(calls: PlannedCall[], registry: Registry, invokeCtx?: InvokeContext) {
  const adapterOf = (c: PlannedCall) => {
    try {
      return invokeCtx ? resolveTarget(c.model, { task: c.task }, invokeCtx).adapter : undefined;
    } catch {
      return undefined; // an unknown model fails at the call, with its own message
    }
  };
  return calls.flatMap((c) => {
    const ignored = ignoredSampling(
      registry.find(c.model),
      { temperature: c.temperature, maxTokens: c.maxTokens },
      adapterOf(c),
    );
    return ignored ? [{ label: c.label, model: c.model, ...ignored }] : [];
  });
}

export type IgnoredParams = ReturnType<typeof ignoredParams>;
