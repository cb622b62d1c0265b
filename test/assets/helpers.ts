/** Asset tests: a project with a config, and the built CLI run asynchronously (the fakes live in this process). */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MM_BIN } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

export function mmAsync(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MM_BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '', OPENAI_API_KEY: '', GOOGLE_GEMINI_BASE_URL: '', OPENAI_BASE_URL: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
}

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
