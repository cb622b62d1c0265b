/** Fake providers for workflow tests: scripted answers, delays and failures, with call accounting. */
import { configSchema, DEFAULT_ROUTING, type Config } from '../../src/config/schema.ts';
import type { InvokeContext, InvokeFn } from '../../src/providers/index.ts';
import { EMPTY_USAGE, type InvokeRequest, type InvokeResult, type InvokeStatus } from '../../src/providers/types.ts';
import { buildRegistry, type Registry } from '../../src/registry/registry.ts';

export interface FakeReply {
  status?: InvokeStatus;
  text?: string;
  json?: unknown;
  delayMs?: number;
  throws?: string;
}

export interface FakeProvider {
  invoke: InvokeFn;
  calls: Array<{ target: string; request: InvokeRequest; startedAt: number }>;
  /** Most calls in flight at once, per target prefix key (see keyOf). */
  maxInFlight: Map<string, number>;
}

export function fakeProvider(
  reply: (target: string, request: InvokeRequest) => FakeReply,
  keyOf: (target: string) => string = (t) => t,
): FakeProvider {
  const calls: FakeProvider['calls'] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const invoke: InvokeFn = async (target, request) => {
    calls.push({ target, request, startedAt: Date.now() });
    const key = keyOf(target);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, inFlight.get(key)!));
    try {
      const r = reply(target, request);
      if (r.delayMs) await new Promise((res) => setTimeout(res, r.delayMs));
      if (r.throws) throw new Error(r.throws);
      const status = r.status ?? 'ok';
      const result: InvokeResult = {
        status,
        text: r.text ?? `answer from ${target}`,
        ...(r.json !== undefined ? { json: r.json } : {}),
        provider: target,
        model: request.model ?? target,
        usage: { ...EMPTY_USAGE },
        latencyMs: r.delayMs ?? 0,
        costUsd: 0,
        stderrTail: '',
        attempts: [],
        withheld: [],
        ...(status === 'ok' ? {} : { error: `${status} (fake)` }),
      };
      return result;
    } finally {
      inFlight.set(key, inFlight.get(key)! - 1);
    }
  };
  return { invoke, calls, maxInFlight };
}

export function testConfig(models: Partial<Config['models']> = { codex_enabled: true, gemini_enabled: true }): {
  config: Config;
  registry: Registry;
} {
  const config = configSchema.parse({ models });
  config.routing = { ...structuredClone(DEFAULT_ROUTING), ...config.routing };
  return { config, registry: buildRegistry(config) };
}

export function fakeContext(config: Config, registry: Registry, root = '/tmp'): InvokeContext {
  return {
    loaded: { config, path: null, origin: 'none', keyLines: new Map(), raw: {}, warnings: [] },
    registry,
    env: {},
    root,
  };
}
