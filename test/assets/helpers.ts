/** Asset tests: a project with a config, and the built CLI run asynchronously (the fakes live in this process). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MmRun } from '../helpers/mm.ts';
import { mmAsync as sharedMmAsync } from '../helpers/mm-async.ts';
import { tempDir } from '../helpers/repo.ts';

/** No provider keys or base URLs leaking in from the machine. */
const BLANK = {
  GEMINI_API_KEY: '',
  GOOGLE_API_KEY: '',
  OPENAI_API_KEY: '',
  GOOGLE_GEMINI_BASE_URL: '',
  OPENAI_BASE_URL: '',
};

/** The built CLI, asynchronously (the fakes live in this process). */
export function mmAsync(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<MmRun> {
  return sharedMmAsync(args, { cwd: opts.cwd, env: { ...BLANK, ...opts.env } });
}

/** The same command in-process (test/helpers/mm-in.ts), for cases about what it does, not about the process. */
export async function mmIn(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<MmRun> {
  // Imported here: the unit tests that use this file's other helpers need not load the CLI.
  const { mmIn: sharedMmIn } = await import('../helpers/mm-in.ts');
  return sharedMmIn(args, { cwd: opts.cwd, env: { ...BLANK, ...opts.env } });
}

/** What points the built CLI at a Gemini fake. */
export const geminiEnv = (fake: { url: string }): NodeJS.ProcessEnv => ({
  GEMINI_API_KEY: 'test-gemini-key',
  GOOGLE_GEMINI_BASE_URL: fake.url,
});

/** The {date} folder an asset stored now lands in. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** A project folder with .git (so it is the project root) and a config enabling `toml`. */
const created: string[] = [];
export function cleanupProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function project(toml: string): string {
  const dir = tempDir('mm-assets-');
  created.push(dir);
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, '.claude', 'config'), { recursive: true });
  writeFileSync(join(dir, '.claude', 'config', 'multi-model.toml'), toml);
  return dir;
}

export const CREATIVE_ON = `[models]\nnano_banana_enabled = true\ngemini_enabled = true\nsora_enabled = true\n\n[models.defaults]\nimage_generation = "nano-banana-pro"\n`;
