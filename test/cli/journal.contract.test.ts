/**
 * Contract: `mm journal` through the BUILT mm asks three perspectives — technical (Gemini,
 * REAL gemini CLI), process (Claude Sonnet, Messages API fake), lessons (GPT-5.2, REAL
 * codex CLI) — then has the orchestration model (Claude Opus) synthesise one entry from
 * their answers. Asserted on the fakes' request logs and the stored run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, updateRun, writeRunFile } from '../../src/runs/store.ts';
import {
  anthropicPromptOf,
  codexEnv,
  codexPromptOf,
  geminiEnv,
  geminiPromptOf,
  startAnthropicFake,
  startCodexFake,
  startGeminiFake,
  type AnthropicFake,
  type CodexFake,
  type GeminiFake,
} from '../fakes/index.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir } from '../helpers/repo.ts';

const ENTRY =
  '## Technical summary\n- built the cache\n## Process reflection\n- one retry\n## Lessons learned\n- test first\n## Next steps\n- ship';

let codex: CodexFake;
let gemini: GeminiFake;
let claude: AnthropicFake;
beforeAll(async () => {
  [codex, gemini, claude] = await Promise.all([
    startCodexFake({ reply: 'LESSON: write the locale test first' }),
    startGeminiFake({ reply: 'TECH: the cache key now carries the locale' }),
    startAnthropicFake({
      reply: (req) => (req.body?.model === 'claude-opus-4-6' ? ENTRY : 'PROCESS: the referee settled it in one run'),
    }),
  ]);
});
afterAll(() => Promise.all([codex.close(), gemini.close(), claude.close()]));

function project() {
  const dir = tempDir('mm-journal-');
  writeProjectConfig(
    dir,
    `[models]\ncodex_enabled = true\ngemini_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n[models.claude]\naccess = "api"\n`,
  );
  // One run of this session worth journaling.
  const session = { MM_RUN_ID: 'session-7' };
  const run = createRun(dir, 'referee', { env: session, summary: 'referee: locale-aware key vs plain key' });
  writeRunFile(dir, run.run_id, 'outputs/verdict.md', '# Referee verdict — A wins: 12/12 tests pass');
  updateRun(dir, run.run_id, { status: 'done' });
  const env = {
    ...codexEnv(codex, dir),
    ...geminiEnv(gemini, dir),
    ANTHROPIC_BASE_URL: claude.url,
    ANTHROPIC_API_KEY: 'fake-anthropic-key',
    ...session,
  };
  return { dir, env };
}

describe('mm journal → three perspectives, one synthesised entry', () => {
  it('the estimate counts the synthesis; with --yes each perspective is asked once and Opus merges their answers', async () => {
    const { dir, env } = project();
    const asked = await mmIn(['journal'], { cwd: dir, env });
    expect(asked.code).toBe(3);
    expect(asked.stderr).toMatch(/4 paid model calls/);
    expect(asked.stderr).toMatch(/synthesis: claude-opus-4-6/);
    expect(codex.calls().length + gemini.calls().length + claude.calls().length).toBe(0);

    const r = await mmAsync(['journal', '--yes', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    // Technical → Gemini, lessons → GPT-5.2 (codex), process → Sonnet: each sees the runs.
    expect(gemini.calls()).toHaveLength(1);
    expect(geminiPromptOf(gemini.calls()[0]!)).toMatch(/^Technical summary\./);
    expect(codex.calls()).toHaveLength(1);
    expect(codex.calls()[0]!.body.model).toBe('gpt-5.2');
    expect(codexPromptOf(codex.calls()[0]!)).toContain('Lessons learned.');
    const [process, synthesis] = claude.calls();
    expect(claude.calls()).toHaveLength(2);
    expect(process!.body.model).toBe('claude-sonnet-4-6');
    expect(anthropicPromptOf(process!)).toMatch(/^Process reflection\./);
    for (const req of [gemini.calls()[0]!, codex.calls()[0]!, process!])
      expect(JSON.stringify(req.body)).toContain('A wins: 12/12 tests pass');
    // The synthesis: every perspective's answer in, fixed sections asked for.
    expect(synthesis!.body.model).toBe('claude-opus-4-6');
    const prompt = anthropicPromptOf(synthesis!);
    for (const answer of ['TECH: the cache key', 'PROCESS: the referee', 'LESSON: write the locale test'])
      expect(prompt).toContain(answer);
    expect(prompt).toContain('Technical summary, Process reflection, Lessons learned, Next steps');

    const out = r.json();
    expect(out).toMatchObject({ ok: true, synthesized: true, synthesizer: 'claude-opus-4-6', missing: [] });
    expect(out.markdown).toMatch(/^# Journal — \d{4}-\d{2}-\d{2}\n\n## Technical summary/);
    const stored = readFileSync(join(dir, '.claude/mm/runs', out.run_id, 'outputs/journal.md'), 'utf8');
    expect(stored).toBe(out.markdown);
    expect(readdirSync(join(dir, '.claude/mm/runs'))).toContain(out.run_id);
  }, 120_000);
});
