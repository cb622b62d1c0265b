/** Gemini's token counts, as the adapter reports them and the ledger prices them. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGeminiProvider } from '../../src/providers/gemini.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { contextFor } from '../helpers/invoke-context.ts';

const dir = mkdtempSync(join(tmpdir(), 'mm-gemini-usage-'));
const reply = (tokens: Record<string, number>) =>
  JSON.stringify({
    session_id: 's',
    response: 'an answer',
    stats: { models: { 'gemini-3.1-pro-preview': { tokens } } },
  });

describe('gemini usage', () => {
  it('counts thoughts as output (billed as output), with reasoning as their share', async () => {
    const stub = writeStubCli(dir, 'gemini-thinking', {
      kind: 'exit',
      code: 0,
      stdout: reply({ prompt: 100, candidates: 20, thoughts: 300 }),
    });
    const r = await createGeminiProvider(contextFor(`[models.gemini]\ncommand = "${stub}"\n`)).invoke({
      prompt: 'p',
      cwd: dir,
      task: 'plan_review',
    });
    expect(r.status).toBe('ok');
    expect(r.usage).toEqual({ input: 100, output: 320, reasoning: 300, cached: 0 });
  });

  it('output at max_output_tokens, thoughts included, is truncated', async () => {
    const stub = writeStubCli(dir, 'gemini-ceiling', {
      kind: 'exit',
      code: 0,
      stdout: reply({ prompt: 100, candidates: 200, thoughts: 824 }),
    });
    const r = await createGeminiProvider(
      contextFor(`[models.gemini]\ncommand = "${stub}"\nmax_output_tokens = 1024\n`),
    ).invoke({ prompt: 'p', cwd: dir, task: 'plan_review' });
    expect(r.status).toBe('truncated');
  });
});
