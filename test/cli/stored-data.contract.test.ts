/**
 * Issue 10, family 8: what mm stores is what was sent (redacted), private to the user,
 * whole or absent; and a paid answer is never lost to a write that fails. The REAL codex
 * CLI against the Codex fake; the fake's log is what left the machine.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { codexOnlyProject, competitiveFanout } from '../helpers/codex-project.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempRepo } from '../helpers/repo.ts';
import { appendLedgerLine, readLedger } from '../../src/usage/ledger.ts';

let fake: CodexFake;
beforeAll(async () => {
  fake = await startCodexFake({
    reply: (req) => (req.body?.text?.format ? '{"verdict":"approve","summary":"fine","findings":[]}' : 'PAID ANSWER'),
  });
});
afterAll(() => fake.close());

const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4).slice(0, 36)}`;

const project = (extra = '', dir?: string) => codexOnlyProject(fake, { extra, dir, prefix: 'mm-stored-' });
const mode = (p: string) => statSync(p).mode & 0o777;

describe('stored data is what was sent, and private', () => {
  it("fan-out's inputs/calls.json holds the redacted prompt, 0600 in 0700 folders", async () => {
    const { dir, env } = project();
    const before = fake.calls().length;
    const r = await mmAsync(competitiveFanout(`deploy with token ${TOKEN}`, ['gpt-5.2', 'gpt-5.3-codex']), {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const sent = fake.calls().slice(before).map(codexPromptOf).join('\n');
    expect(sent).not.toContain(TOKEN);
    const runs = join(dir, '.claude/mm/runs');
    const run = readdirSync(runs).find((n) => n.endsWith('fanout'))!;
    const calls = readFileSync(join(runs, run, 'inputs/calls.json'), 'utf8');
    expect(calls).not.toContain(TOKEN);
    expect(calls).toContain('[REDACTED');
    expect(mode(join(runs, run, 'inputs/calls.json'))).toBe(0o600);
    expect(mode(join(runs, run, 'run.json'))).toBe(0o600);
    expect(mode(join(runs, run))).toBe(0o700);
    expect(mode(join(dir, '.claude/mm'))).toBe(0o700);
    expect(mode(join(dir, '.claude/mm/usage.jsonl'))).toBe(0o600);
  }, 60_000);
});

describe('the ledger: whole lines or none', () => {
  it('a torn last line (full disk earlier) is skipped and the next line is not glued to it', async () => {
    const { dir, env } = project();
    mkdirSync(join(dir, '.claude/mm'), { recursive: true });
    const ledger = join(dir, '.claude/mm/usage.jsonl');
    const whole = { ts: new Date().toISOString(), provider: 'codex', model: 'gpt-5.2', task: 't', status: 'ok' };
    writeFileSync(
      ledger,
      `${JSON.stringify({ ...whole, tokens: { input: 1, output: 1, reasoning: 0, cached: 0 }, latency_ms: 1, cost_usd: 0 })}\n{"ts":"2026-01-01T00:00:00Z","provider":"co`,
    );
    const r = await mmAsync(['ask', 'codex', '--effort', 'low'], { cwd: dir, env, input: 'hi' });
    expect(r.code, r.stderr).toBe(0);
    expect(readLedger(ledger)).toHaveLength(2);
    const usage = await mmIn(['usage', '--json'], { cwd: dir, env });
    expect(usage.json().total.calls).toBe(2);
  }, 60_000);

  it('a write that fails (ENOSPC on /dev/full) throws instead of leaving half a line', () => {
    expect(() =>
      appendLedgerLine('/dev/full', {
        ts: 'x',
        provider: 'p',
        model: 'm',
        task: 't',
        status: 'ok',
        tokens: { input: 0, output: 0, reasoning: 0, cached: 0 },
        latency_ms: 0,
        cost_usd: 0,
      }),
    ).toThrow(/ENOSPC|no space/i);
  });
});

describe('a paid answer is never lost', () => {
  it('the ledger cannot be written (full disk): the answer is printed, the error reported, exit 1', async () => {
    const { dir, env } = project('[usage]\nledger = "/dev/full"\n');
    const r = await mmAsync(['ask', 'codex', '--effort', 'low'], { cwd: dir, env, input: 'hi' });
    expect(r.stdout).toContain('PAID ANSWER');
    expect(r.stderr).toMatch(/could not write the usage ledger/);
    expect(r.code).toBe(1);
  }, 60_000);

  it('the ledger path is a folder: the answer is printed, exit 1', async () => {
    const { dir, env } = project('[usage]\nledger = "ledger-dir"\n');
    mkdirSync(join(dir, 'ledger-dir'));
    const r = await mmAsync(['ask', 'codex', '--effort', 'low'], { cwd: dir, env, input: 'hi' });
    expect(r.stdout).toContain('PAID ANSWER');
    expect(r.stderr).toMatch(/could not write/);
    expect(r.code).toBe(1);
  }, 60_000);

  it('mm review diff --sarif <folder> is refused before the paid call', async () => {
    const repo = tempRepo();
    repo.write('a.js', 'exports.a = 1;\n');
    repo.commitAll('a');
    repo.write('a.js', 'exports.a = 2;\n');
    const { env } = project('[checkpoints]\npr_cross_review = "auto"\n', repo.dir);
    mkdirSync(join(repo.dir, 'out'));
    const before = fake.calls().length;
    const r = await mmIn(['review', 'diff', '--with', 'codex', '--yes', '--sarif', 'out'], { cwd: repo.dir, env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--sarif .*folder/);
    expect(fake.calls().length).toBe(before);
  }, 60_000);
});
