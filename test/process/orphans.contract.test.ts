/**
 * Issue 10, family 9: children die with their parent. The real codex CLI talks to a fake
 * that never answers; mm is killed with SIGKILL (no handler runs); every process mm had
 * started (codex's Node launcher and its native binary) must be gone shortly after.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { MM_BIN } from '../helpers/mm.ts';
import { isRunning } from '../helpers/process.ts';
import { tempDir } from '../helpers/repo.ts';

let fake: CodexFake;
beforeAll(async () => {
  fake = await startCodexFake({ reply: 'never sent' });
  fake.options.fault = 'hang';
});
afterAll(() => fake.close());

/** Every live descendant of `pid`, from /proc's parent links. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parentOf.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf)
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        walk(child);
      }
  };
  walk(pid);
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 of mm', () => {
  it('takes its codex child (and the native binary codex started) down with it', async () => {
    const project = tempDir('mm-orphan-');
    writeProjectConfig(project, `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`);
    const mm = spawn(process.execPath, [MM_BIN, 'ask', 'codex', '--effort', 'low'], {
      cwd: project,
      env: { ...process.env, ...codexEnv(fake, project), ANTHROPIC_API_KEY: '', MM_CONFIG: '' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    mm.stdin.end('a prompt that will never be answered');
    // Wait until codex has reached the fake (its request is in flight).
    for (let i = 0; i < 200 && fake.requests.length === 0; i++) await sleep(100);
    expect(fake.requests.length).toBeGreaterThan(0);
    const children = descendants(mm.pid!);
    expect(children.length).toBeGreaterThan(0);
    mm.kill('SIGKILL');
    // The watchdog polls once a second; allow a few.
    for (let i = 0; i < 50 && children.some(isRunning); i++) await sleep(100);
    expect(children.filter(isRunning)).toEqual([]);
  }, 60_000);
});
