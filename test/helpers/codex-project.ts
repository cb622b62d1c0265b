/**
 * A project for contract tests of the execution workflows: Codex is the only model family
 * enabled (the REAL codex CLI, pointed at the Codex fake) and Claude is unreachable (no
 * Anthropic key), so no other model can silently take over a call.
 */
import { codexEnv } from '../fakes/codex-server.ts';
import { CODEX_BIN, writeProjectConfig } from './invoke-context.ts';
import { tempDir } from './repo.ts';

const CODEX_ONLY = `[models]\ncodex_enabled = true\ngemini_enabled = false\nlocal_llm_enabled = false\n[models.codex]\ncommand = "${CODEX_BIN}"\n`;

/** `extra` is appended to the config (more TOML tables); `dir` defaults to a new temp folder. */
export function codexOnlyProject(
  fake: { url: string },
  opts: { extra?: string; dir?: string; prefix?: string } = {},
): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = opts.dir ?? tempDir(opts.prefix ?? 'mm-codex-project-');
  writeProjectConfig(dir, CODEX_ONLY + (opts.extra ?? ''));
  return { dir, env: { ...codexEnv(fake, dir), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' } };
}

/** `mm fanout --mode competitive --prompt PROMPT --model A --model B … --yes` as argv. */
export const competitiveFanout = (prompt: string, models: string[]): string[] => [
  'fanout',
  '--mode',
  'competitive',
  '--prompt',
  prompt,
  ...models.flatMap((m) => ['--model', m]),
  '--yes',
];
