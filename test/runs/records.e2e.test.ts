import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkLimit } from '../../src/context/packet.ts';
import { currentRunDir, recordCheckpoint, recordReview } from '../../src/runs/records.ts';
import { summariseCheckpoints } from '../../src/runs/review-summary.ts';
import { updateRunState } from '../../src/runs/state.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir, tempRepo } from '../helpers/repo.ts';

describe('run records', () => {
  it('appends decisions and writes one file per review in the current run', () => {
    const root = tempDir();
    const env = { MM_RUN_ID: '' };
    recordCheckpoint(root, env, {
      checkpoint: 'plan_review',
      mode: 'ask',
      action: 'ask',
      reason: 'r',
      command: 'mm review plan p.md',
    });
    recordReview(root, env, 'plan', {
      result: { status: 'ok', model: 'gpt-5.3-codex', verdict: { verdict: 'CONCERN' } },
    });
    recordReview(root, env, 'diff', { results: [{ status: 'timeout', reviewer: { model: 'gemini-3.1-pro' } }] });
    const dir = currentRunDir(root, env);
    expect(existsSync(join(root, '.claude/mm/runs/CURRENT'))).toBe(true);
    const s = summariseCheckpoints(dir);
    expect(s.checkpoints.map((c) => c.action)).toEqual(['ask']);
    expect(s.reviews.map((r) => r.outcome)).toEqual([
      'gpt-5.3-codex: CONCERN',
      'gemini-3.1-pro: could not run (timeout)',
    ]);
    expect(readFileSync(join(dir, 'checkpoints.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it("a session run (checkpoint records, debug cycles) is git-ignored like workflow runs: the user's git status stays clean", async () => {
    const repo = tempRepo();
    try {
      recordCheckpoint(
        repo.dir,
        { MM_RUN_ID: '' },
        { checkpoint: 'pr_cross_review', mode: 'ask', action: 'ask', reason: 'r', command: 'mm review diff' },
      );
      expect(repo.git('status', '--porcelain')).toBe('');
      rmSync(join(repo.dir, '.claude'), { recursive: true, force: true });
      await updateRunState(repo.dir, { MM_RUN_ID: 'named-run' }, (s) => (s.debug.failed_cycles += 1));
      expect(repo.git('status', '--porcelain')).toBe('');
    } finally {
      repo.cleanup();
    }
  });

  it('honours MM_RUN_ID', () => {
    const root = tempDir();
    recordReview(root, { MM_RUN_ID: 'my-run' }, 'consensus', { results: [] });
    expect(existsSync(join(root, '.claude/mm/runs/my-run/reviews'))).toBe(true);
  });
});

describe('mm runs show', () => {
  it("lists the run's checkpoint decisions and every kind of review outcome (text and --json)", () => {
    const repo = tempRepo();
    const env = { MM_RUN_ID: '' };
    try {
      recordCheckpoint(repo.dir, env, {
        checkpoint: 'pr_cross_review',
        mode: 'ask',
        action: 'run',
        reason: 'confirmed with --yes',
        command: 'mm review diff',
      });
      recordReview(repo.dir, env, 'diff', {
        results: [
          { status: 'ok', reviewer: { model: 'gemini-3-flash' }, verdict: { verdict: 'ISSUES' } },
          { status: 'auth', reviewer: { model: 'gpt-5.2' } },
        ],
      });
      recordReview(repo.dir, env, 'diff', {
        results: [
          {
            status: 'ok',
            reviewer: { model: 'gemini-3.1-pro' },
            answered_by: ['gemini-3-flash'],
            verdict: { verdict: 'LGTM' },
          },
        ],
      });
      recordReview(repo.dir, env, 'debug', {
        cycles: 3,
        result: { status: 'ok', model: 'gpt-5.3-codex', analysis: { root_cause: 'x' } },
      });
      recordReview(repo.dir, env, 'debug', { option: 'claude', cycles: 2, message: 'Continue with Claude' });
      recordReview(repo.dir, env, 'consensus', {
        results: [
          { status: 'ok', label: 'codex', answer: { position: 'yes' } },
          { status: 'timeout', label: 'gemini' },
        ],
      });
      const text = mm(['runs', 'show'], { cwd: repo.dir });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('checkpoint decisions:');
      expect(text.stdout).toMatch(/pr_cross_review \(ask\) → run: confirmed with --yes/);
      expect(text.stdout).toContain('diff: gemini-3-flash: ISSUES; gpt-5.2: could not run (auth)');
      expect(text.stdout).toContain('diff: gemini-3.1-pro (answered by gemini-3-flash): LGTM');
      expect(text.stdout).toContain('debug: gpt-5.3-codex: root cause found');
      expect(text.stdout).toContain('debug: continued with Claude');
      expect(text.stdout).toContain('consensus: codex: yes; gemini: could not run (timeout)');
      const json = mm(['runs', 'show', '--json'], { cwd: repo.dir }).json();
      expect(json.checkpoints).toHaveLength(1);
      expect(json.reviews.map((r: { kind: string }) => r.kind)).toEqual([
        'diff',
        'diff',
        'debug',
        'debug',
        'consensus',
      ]);
    } finally {
      repo.cleanup();
    }
  });
});

describe('chunkLimit', () => {
  it('is the chunking threshold, or half the smallest context window', () => {
    expect(chunkLimit(32000, [1_000_000, 400_000])).toBe(32000);
    expect(chunkLimit(32000, [8192])).toBe(4096);
    expect(chunkLimit(32000, [null, undefined])).toBe(32000);
  });
});
