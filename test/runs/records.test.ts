import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkLimit } from '../../src/context/packet.ts';
import { currentRunDir, recordCheckpoint, recordReview } from '../../src/runs/records.ts';
import { summariseCheckpoints } from '../../src/runs/review-summary.ts';
import { tempDir } from '../helpers/repo.ts';

describe('run records', () => {
  it('appends decisions and writes one file per review in the current run', () => {
    const root = tempDir();
    const env = { MM_RUN_ID: '' };
    recordCheckpoint(root, env, { checkpoint: 'plan_review', mode: 'ask', action: 'ask', reason: 'r', command: 'mm review plan p.md' });
    recordReview(root, env, 'plan', { result: { status: 'ok', model: 'gpt-5.3-codex', verdict: { verdict: 'CONCERN' } } });
    recordReview(root, env, 'diff', { results: [{ status: 'timeout', reviewer: { model: 'gemini-3.1-pro' } }] });
    const dir = currentRunDir(root, env);
    expect(existsSync(join(root, '.claude/mm/runs/CURRENT'))).toBe(true);
    const s = summariseCheckpoints(dir);
    expect(s.checkpoints.map((c) => c.action)).toEqual(['ask']);
    expect(s.reviews.map((r) => r.outcome)).toEqual(['gpt-5.3-codex: CONCERN', 'gemini-3.1-pro: could not run (timeout)']);
    expect(readFileSync(join(dir, 'checkpoints.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('honours MM_RUN_ID', () => {
    const root = tempDir();
    recordReview(root, { MM_RUN_ID: 'my-run' }, 'consensus', { results: [] });
    expect(existsSync(join(root, '.claude/mm/runs/my-run/reviews'))).toBe(true);
  });
});

describe('chunkLimit', () => {
  it('is the chunking threshold, or half the smallest context window', () => {
    expect(chunkLimit(32000, [1_000_000, 400_000])).toBe(32000);
    expect(chunkLimit(32000, [8192])).toBe(4096);
    expect(chunkLimit(32000, [null, undefined])).toBe(32000);
  });
});
