/**
 * Entry point for every model call: `invokeModel(target, request)` resolves the target
 * (provider name or registry model), applies the secrets guard, budgets and fallback
 * chain, calls the provider and appends to the usage ledger.
 *
 * PLACEHOLDER until the providers issue lands: it answers "unavailable" so callers can
 * be written and tested against the interface (inject a fake `invoke` in unit tests).
 */
import type { LoadedConfig } from '../config/load.ts';
import type { Registry } from '../registry/registry.ts';
import { EMPTY_USAGE, type InvokeRequest, type InvokeResult } from './types.ts';

export interface InvokeContext {
  loaded: LoadedConfig;
  registry: Registry;
  env: NodeJS.ProcessEnv;
  /** Project root: where `.claude/mm/` (ledger, runs) lives. */
  root: string;
}

export type InvokeFn = (target: string, request: InvokeRequest, ctx: InvokeContext) => Promise<InvokeResult>;

export const invokeModel: InvokeFn = async (target, request) => ({
  status: 'unavailable',
  text: '',
  provider: target,
  model: request.model ?? target,
  usage: { ...EMPTY_USAGE },
  latencyMs: 0,
  costUsd: null,
  stderrTail: '',
  attempts: [],
  withheld: [],
  error: 'providers are not implemented yet',
});
