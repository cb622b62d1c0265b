/**
 * Scripted providers for unit tests: an InvokeFn that answers from a script (a verdict
 * object, raw text, or a failure status) and records every request it was given.
 */
import type { InvokeContext, InvokeFn } from '../../src/providers/index.ts';
import { EMPTY_USAGE, type InvokeRequest, type InvokeResult, type InvokeStatus } from '../../src/providers/types.ts';

export type Script =
  | { json: unknown }
  | { text: string }
  | { status: Exclude<InvokeStatus, 'ok'>; error?: string }
  | { throws: string };

export interface ScriptedInvoke {
  invoke: InvokeFn;
  calls: Array<{ target: string; request: InvokeRequest }>;
}

export function result(target: string, request: InvokeRequest, over: Partial<InvokeResult>): InvokeResult {
  return {
    status: 'ok',
    text: '',
    provider: target,
    model: request.model ?? target,
    usage: { ...EMPTY_USAGE },
    latencyMs: 1,
    costUsd: 0.01,
    stderrTail: '',
    attempts: [],
    withheld: [],
    ...over,
  };
}

/** Answers each call with the next script entry (the last one repeats), or per target. */
export function scripted(
  script: Script[] | Record<string, Script>,
  onCall?: (target: string, request: InvokeRequest) => void,
): ScriptedInvoke {
  const calls: ScriptedInvoke['calls'] = [];
  let i = 0;
  const invoke: InvokeFn = async (target, request, _ctx: InvokeContext) => {
    calls.push({ target, request });
    onCall?.(target, request);
    const entry = Array.isArray(script) ? script[Math.min(i++, script.length - 1)]! : script[target]!;
    if ('throws' in entry) throw new Error(entry.throws);
    if ('status' in entry)
      return result(target, request, { status: entry.status, error: entry.error ?? `${entry.status} (scripted)` });
    if ('json' in entry) return result(target, request, { text: JSON.stringify(entry.json) });
    return result(target, request, { text: entry.text });
  };
  return { invoke, calls };
}

export const PASS = { verdict: 'PASS', summary: 'Sound plan.', findings: [] };
export const CONCERN = {
  verdict: 'CONCERN',
  summary: 'Two gaps.',
  findings: [
    {
      severity: 'medium',
      area: 'tests',
      detail: 'No test for token expiry.',
      recommendation: 'Add an expiry test before task 4.',
      file: 'src/auth.ts',
    },
  ],
};
export const BLOCK = {
  verdict: 'BLOCK',
  summary: 'Ordering conflict.',
  findings: [
    {
      severity: 'critical',
      area: 'ordering',
      detail: 'Migration runs after the code that needs it.',
      recommendation: 'Move task 7 before task 3.',
    },
  ],
};
export const LGTM = { verdict: 'LGTM', summary: 'Looks fine.', findings: [] };
export const ISSUES = (file = 'src/auth.ts', line = 2) => ({
  verdict: 'ISSUES',
  summary: 'A bug.',
  findings: [
    {
      severity: 'high',
      file,
      line_start: line,
      line_end: line,
      detail: 'Token compared with ==.',
      recommendation: 'Use a constant-time comparison.',
    },
  ],
});
export const FAILURE_STATUSES = [
  'unavailable',
  'timeout',
  'rate_limited',
  'truncated',
  'invalid_output',
  'auth',
  'failed',
] as const;

export const fakeCtx = (): InvokeContext => ({
  loaded: {} as InvokeContext['loaded'],
  registry: {} as InvokeContext['registry'],
  env: {},
  root: '/nonexistent',
});
