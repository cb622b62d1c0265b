/** Fault injection with stub executables standing in for the CLIs: each fault its own status, never ok. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodexProvider } from '../../src/providers/codex.ts';
import { createGeminiProvider } from '../../src/providers/gemini.ts';
import { writeStubCli, type StubBehaviour } from '../fakes/stub-cli.ts';
import { contextFor } from '../helpers/invoke-context.ts';

const dir = mkdtempSync(join(tmpdir(), 'mm-faults-'));
let n = 0;

async function runGemini(behaviour: StubBehaviour, timeoutMs = 10_000) {
  const stub = writeStubCli(dir, `gemini-${n++}`, behaviour);
  const ctx = contextFor(`[models.gemini]\ncommand = "${stub}"\nflash_fallback_on_rate_limit = false\n`);
  return createGeminiProvider(ctx).invoke({ prompt: 'p', cwd: dir, task: 'plan_review', timeoutMs });
}

async function runCodex(behaviour: StubBehaviour, timeoutMs = 10_000) {
  const stub = writeStubCli(dir, `codex-${n++}`, behaviour);
  const ctx = contextFor(`[models.codex]\ncommand = "${stub}"\n`);
  return createCodexProvider(ctx).invoke({ prompt: 'p', cwd: dir, task: 'code_review', timeoutMs });
}

describe('fault injection (gemini-family CLI)', () => {
  it.each<[string, StubBehaviour, string]>([
    ['hang', { kind: 'hang' }, 'timeout'],
    ['crash', { kind: 'crash' }, 'failed'],
    ['garbage output', { kind: 'garbage' }, 'invalid_output'],
    ['auth error (exit 41)', { kind: 'exit', code: 41, stderr: 'Please set an Auth method' }, 'auth'],
    ['HTTP 401 (exit 145)', { kind: 'exit', code: 145 }, 'auth'],
    [
      'HTTP 429 (exit 173)',
      { kind: 'exit', code: 173, stderr: '{"session_id":"s","error":{"type":"Error","message":"quota","code":429}}' },
      'rate_limited',
    ],
    ['HTTP 500 (exit 244)', { kind: 'exit', code: 244 }, 'failed'],
    ['untrusted folder (exit 55)', { kind: 'exit', code: 55 }, 'failed'],
  ])('%s → %s', async (_name, behaviour, status) => {
    const r = await runGemini(behaviour, behaviour.kind === 'hang' ? 1000 : 10_000);
    expect(r.status).toBe(status);
    expect(r.status).not.toBe('ok');
    expect(r.error).toBeTruthy();
  });

  it('a part that fails after others answered: its status, with the tokens already spent', async () => {
    // Answers the first call (100 in, 20 out), then fails with HTTP 500 (exit 244).
    const stub = join(dir, `gemini-${n++}`);
    const counter = `${stub}.calls`;
    writeFileSync(
      stub,
      `#!/usr/bin/env node
const fs = require('node:fs');
process.stdin.resume();
process.stdin.on('end', () => {
  const calls = fs.existsSync(${JSON.stringify(counter)}) ? Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) : 0;
  fs.writeFileSync(${JSON.stringify(counter)}, String(calls + 1));
  if (calls > 0) process.exit(244);
  process.stdout.write(JSON.stringify({ response: 'part one reviewed', stats: { models: { m: { tokens: { prompt: 100, candidates: 20 } } } } }));
});
`,
    );
    chmodSync(stub, 0o755);
    const ctx = contextFor(
      `[models.gemini]\ncommand = "${stub}"\nchunking_threshold = 100\nflash_fallback_on_rate_limit = false\n`,
    );
    const file = (name: string) =>
      `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n@@ -1 +1 @@\n-old\n+${'n'.repeat(300)}\n`;
    const r = await createGeminiProvider(ctx).invoke({
      prompt: `Review.\n${file('a.ts')}${file('b.ts')}`,
      cwd: dir,
      task: 'plan_review',
    });
    expect(r.status).toBe('failed');
    expect(r.usage).toMatchObject({ input: 100, output: 20 });
  });

  it('missing binary → unavailable', async () => {
    const ctx = contextFor(`[models.gemini]\ncommand = "${join(dir, 'not-installed')}"\n`);
    const r = await createGeminiProvider(ctx).invoke({ prompt: 'p', cwd: dir, task: 'plan_review' });
    expect(r.status).toBe('unavailable');
    expect(r.error).toMatch(/command not found/);
  });
});

describe('fault injection (codex CLI)', () => {
  it.each<[string, StubBehaviour, string]>([
    ['hang', { kind: 'hang' }, 'timeout'],
    ['crash', { kind: 'crash' }, 'failed'],
    ['garbage output', { kind: 'garbage' }, 'invalid_output'],
    [
      'turn.failed 429',
      { kind: 'exit', code: 1, stdout: '{"type":"turn.failed","error":{"message":"429 Too Many Requests"}}\n' },
      'rate_limited',
    ],
    [
      'turn.failed 401',
      { kind: 'exit', code: 1, stdout: '{"type":"turn.failed","error":{"message":"401 Unauthorized"}}\n' },
      'auth',
    ],
    [
      'stream closed early',
      {
        kind: 'exit',
        code: 1,
        stdout:
          '{"type":"thread.started","thread_id":"t"}\n{"type":"turn.failed","error":{"message":"stream closed before response.completed"}}\n',
      },
      'truncated',
    ],
    [
      'retry error then completed → ok',
      {
        kind: 'exit',
        code: 0,
        stdout:
          '{"type":"error","message":"Reconnecting... 1/5"}\n{"type":"item.completed","item":{"type":"agent_message","text":"fine"}}\n{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":1}}\n',
      },
      'ok',
    ],
    [
      'exit 0 without turn.completed',
      { kind: 'exit', code: 0, stdout: '{"type":"thread.started","thread_id":"t"}\n' },
      'truncated',
    ],
  ])('%s → %s', async (_name, behaviour, status) => {
    const r = await runCodex(behaviour, behaviour.kind === 'hang' ? 1000 : 10_000);
    expect(r.status).toBe(status);
    if (status !== 'ok') expect(r.error).toBeTruthy();
  });

  it('missing binary → unavailable', async () => {
    const ctx = contextFor(`[models.codex]\ncommand = "${join(dir, 'not-installed')}"\n`);
    const r = await createCodexProvider(ctx).invoke({ prompt: 'p', cwd: dir, task: 'code_review' });
    expect(r.status).toBe('unavailable');
  });
});
