#!/usr/bin/env node
// Fan-out overhead: 8 calls to a fake provider that answers in 0.5 s must finish in
// ≤ 1.15× the time of one call (the calls run in parallel; the default per-provider
// limit is 8). Uses the real planner, limiter and runner from src/ through tsx.
import { register } from 'node:module';
import { tsImport } from 'tsx/esm/api';

// src/ imports its prompt templates (*.md) as text, as the bundle does.
register('../scripts/markdown-text-hooks.mjs', import.meta.url);

const DELAY_MS = 500;
const CALLS = 8;
const GOAL = 1.15;

const load = (path) => tsImport(path, import.meta.url);
const { configSchema } = await load('../src/config/schema.ts');
const { buildRegistry } = await load('../src/registry/registry.ts');
const { planDivision } = await load('../src/workflows/fanout/plan.ts');
const { runFanout } = await load('../src/workflows/fanout/run.ts');
const { limitsFrom } = await load('../src/workflows/fanout/execute.ts');

const config = configSchema.parse({});
const registry = buildRegistry(config);
const fakeInvoke = async (target, request) => {
  await new Promise((r) => setTimeout(r, DELAY_MS));
  return {
    status: 'ok',
    text: `answer to ${request.prompt}`,
    provider: 'fake',
    model: target,
    usage: { input: 0, output: 0, reasoning: 0, cached: 0 },
    latencyMs: DELAY_MS,
    costUsd: 0,
    stderrTail: '',
    attempts: [],
    withheld: [],
  };
};
const options = {
  invoke: fakeInvoke,
  ctx: { loaded: { config }, registry, env: {}, root: '.' },
  cwd: '.',
  providerOf: () => 'fake',
  limitFor: limitsFrom(config),
};

async function time(n) {
  const calls = planDivision(
    Array.from({ length: n }, (_, i) => ({ prompt: `task ${i}`, model: 'fake-model' })),
    [],
  );
  const started = performance.now();
  const out = await runFanout(calls, options);
  const ms = performance.now() - started;
  if (out.summary.succeeded !== n) throw new Error(`expected ${n} successes, got ${out.summary.succeeded}`);
  return ms;
}

await time(1); // warm up module and timer paths
const one = await time(1);
const eight = await time(CALLS);
const ratio = eight / one;
console.log(
  `fanout: 1 call ${one.toFixed(0)} ms · ${CALLS} calls ${eight.toFixed(0)} ms · ratio ${ratio.toFixed(3)} (goal ≤ ${GOAL})`,
);
process.exitCode = ratio <= GOAL ? 0 : 1;
