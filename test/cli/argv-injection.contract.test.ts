/**
 * Issue 10, family 7: values that reach a child's argv. The real codex and gemini CLIs
 * run against loopback fakes; a refused value must end with exit 2 and NO request in the
 * fake's log (nothing was started, nothing fell back to another provider).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { geminiEnv, startGeminiFake, type GeminiFake } from '../fakes/gemini-server.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { tempDir } from '../helpers/repo.ts';

let codex: CodexFake;
let gemini: GeminiFake;
let project: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  codex = await startCodexFake({ reply: 'codex answer' });
  gemini = await startGeminiFake({ reply: 'gemini answer' });
  project = tempDir('mm-argv-');
  writeProjectConfig(
    project,
    `[models]\ncodex_enabled = true\ngemini_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n`,
  );
  env = { ...codexEnv(codex, project), ...geminiEnv(gemini, project), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
});
afterAll(() => {
  codex.close();
  gemini.close();
});

const refused: [string, string[]][] = [
  ['--resume that is a codex flag', ['ask', 'codex', '--resume=--dangerously-bypass-approvals-and-sandbox']],
  ['--resume that is a config override', ['ask', 'codex', '--resume', '-c sandbox_mode="danger-full-access"']],
  ['--resume that is not a thread id', ['ask', 'codex', '--resume', 'last']],
  ['--model that is a codex flag', ['ask', 'codex', '--model=--dangerously-bypass-approvals-and-sandbox']],
  ['--model with a config override', ['ask', 'codex', '--model', 'gpt-5.2 -c sandbox_mode=danger-full-access']],
  ['--model that is a gemini flag', ['ask', 'gemini', '--model=--yolo']],
  ['--model that is a short gemini flag', ['ask', 'gemini', '--model=-y']],
  ['--effort that smuggles a second option', ['ask', 'codex', '--effort', 'high -c sandbox_mode=danger-full-access']],
  ['--sandbox that is not a mode', ['ask', 'codex', '--sandbox=--dangerously-bypass-approvals-and-sandbox']],
];

describe('argv injection is refused before anything is started', () => {
  for (const [name, args] of refused) {
    it(name, async () => {
      const before = codex.requests.length + gemini.requests.length;
      const r = await mmAsync(args, { cwd: project, env, input: 'hello' });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/mm: .*(invalid|not a|must|needs a value)/i);
      expect(codex.requests.length + gemini.requests.length).toBe(before);
    });
  }

  it('a well-formed thread id reaches codex as the resume target', async () => {
    const id = '0199b3a0-1c2d-7e3f-8a4b-5c6d7e8f9a0b';
    const r = await mmAsync(['ask', 'codex', '--resume', id, '--json'], { cwd: project, env, input: 'hello' });
    // The fake knows no such thread, so codex may fail; what matters is that it was not refused as bad input.
    expect(r.code).not.toBe(2);
  }, 60_000);
});
