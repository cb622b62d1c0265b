/**
 * Shared by the checkpoints contract files (split in two so both test workers stay busy):
 * one set of fakes per file (Codex, Gemini, and a Claude API that must stay silent), a
 * throwaway project per test, and `run`, which returns what each fake received during one
 * run of the built mm. Call useCheckpointFakes() once at the top of a test file; the fakes
 * and env below are live bindings, set in its beforeAll.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { codexEnv, geminiEnv, startAnthropicFake, startCodexFake, startGeminiFake } from '../fakes/index.ts';
import type { AnthropicFake, CodexFake, GeminiFake, RecordedRequest } from '../fakes/index.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

export let codex: CodexFake;
export let gemini: GeminiFake;
export let claude: AnthropicFake;
export let env: NodeJS.ProcessEnv;
let repo: TempRepo | undefined;

export function useCheckpointFakes(): void {
  beforeAll(async () => {
    [codex, gemini, claude] = await Promise.all([
      startCodexFake(),
      startGeminiFake(),
      startAnthropicFake({ reply: 'claude should never be asked' }),
    ]);
    const home = mkdtempSync(join(tmpdir(), 'mm-checkpoints-'));
    // Claude is reachable: a checkpoint that silently fell back to it would show up in claude.calls().
    env = {
      ...codexEnv(codex, home),
      ...geminiEnv(gemini, home),
      ANTHROPIC_BASE_URL: claude.url,
      ANTHROPIC_API_KEY: 'fake-anthropic-key',
    };
  });
  afterAll(() => Promise.all([codex.close(), gemini.close(), claude.close()]));
  afterEach(() => {
    repo?.cleanup();
    repo = undefined;
    Object.assign(codex.options, { fault: 'none', faultModel: undefined, reply: 'unset' });
    Object.assign(gemini.options, { fault: 'none', faultModel: undefined, reply: 'unset' });
  });
}

export function project(
  checkpoints = 'plan_review = "ask"\npr_cross_review = "ask"\ndebug_escalation = "ask"',
): TempRepo {
  repo = tempRepo();
  writeProjectConfig(
    repo.dir,
    `[models]\ncodex_enabled = true\ngemini_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n[checkpoints]\n${checkpoints}\n`,
  );
  repo.write('.gitignore', '.claude/\n');
  repo.write('src/util.ts', 'export const add = (a: number, b: number) => a + b;\n');
  repo.write('src/auth.ts', 'export const checkAuthToken = (token: string, given: string) => token === given;\n');
  repo.commitAll('base');
  return repo;
}

/** Runs the built mm; returns what each fake received during the run. */
export function run(args: string[], r: TempRepo) {
  return runWith(mmAsync, args, r);
}

/** The same in-process (test/helpers/mm-in.ts): for the cases that are not about the built binary. */
export function runIn(args: string[], r: TempRepo) {
  return runWith(mmIn, args, r);
}

async function runWith(runner: typeof mmAsync, args: string[], r: TempRepo) {
  const before = { codex: codex.calls().length, gemini: gemini.calls().length, claude: claude.calls().length };
  const out = await runner(args, { cwd: r.dir, env });
  return {
    ...out,
    codex: codex.calls().slice(before.codex),
    gemini: gemini.calls().slice(before.gemini),
    claude: claude.calls().slice(before.claude),
  };
}

export const json = (v: unknown) => JSON.stringify(v);
/** What Codex told the model about its sandbox and working directory. */
export const sandboxOf = (req: RecordedRequest) =>
  /`sandbox_mode` is `([a-z-]+)`/.exec(JSON.stringify(req.body.input))?.[1];
export const cwdOf = (req: RecordedRequest) => /<cwd>([^<]+)<\/cwd>/.exec(JSON.stringify(req.body.input))?.[1];
export const PLAN = `# Plan\n\n${Array.from({ length: 22 }, (_, i) => `- [ ] Task ${i + 1}: step ${i + 1}`).join('\n')}\n`;
