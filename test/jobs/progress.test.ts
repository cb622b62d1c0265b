import { afterEach, describe, expect, it } from 'vitest';
import { progress, setProgressSink, stderrProgressSink, type ProgressUpdate } from '../../src/jobs/progress.ts';
import { BUILTIN_CLI_PROFILES } from '../../src/config/cli-profiles.ts';
import { profileArgs } from '../../src/providers/cli-profiles.ts';
import { withoutBackground } from '../../src/cli/background.ts';
import { jobExitCode } from '../../src/cli/handlers/jobs.ts';
import type { JobInfo } from '../../src/jobs/store.ts';

afterEach(() => setProgressSink(null));

describe('the progress channel', () => {
  it('does nothing without a sink (under --json, in a pipe, in tests)', () => {
    expect(() => progress({ phase: 'x', done: 1, total: 2 })).not.toThrow();
  });

  it('merges updates; a new phase starts its own counts and message, keeps the model', () => {
    const seen: ProgressUpdate[] = [];
    setProgressSink((state) => seen.push({ ...state }));
    progress({ phase: 'reviewing', total: 3, done: 0 });
    progress({ model: 'gpt-5.2' });
    progress({ done: 1, message: 'chunk 1' });
    progress({ phase: 'writing' });
    expect(seen).toEqual([
      { phase: 'reviewing', total: 3, done: 0 },
      { phase: 'reviewing', total: 3, done: 0, model: 'gpt-5.2' },
      { phase: 'reviewing', total: 3, done: 1, model: 'gpt-5.2', message: 'chunk 1' },
      { phase: 'writing', model: 'gpt-5.2' },
    ]);
  });

  it('at a terminal: one line per step, none for a bare model change; a failing sink never fails the work', () => {
    const lines: string[] = [];
    setProgressSink(stderrProgressSink((l) => lines.push(l)));
    progress({ phase: 'reviewing the diff', done: 0, total: 2 });
    progress({ model: 'gemini-3-flash' });
    progress({ done: 1 });
    expect(lines).toEqual(['mm: [0/2] reviewing the diff', 'mm: [1/2] reviewing the diff · gemini-3-flash']);
    setProgressSink(() => {
      throw new Error('EPIPE');
    });
    expect(() => progress({ phase: 'x' })).not.toThrow();
  });
});

describe('pieces of the job commands', () => {
  it('the job re-runs the argv without --background, global flags kept', () => {
    expect(withoutBackground(['--config', 'c.toml', 'qa', '--background', '--yes', '--json'])).toEqual([
      '--config',
      'c.toml',
      'qa',
      '--yes',
      '--json',
    ]);
  });

  it('wait/result exit codes: the job’s own, 130 cancelled, 137 dead, 124 still running', () => {
    const job = (state: JobInfo['state'], exit_code: number | null = null) => ({ state, exit_code }) as JobInfo;
    expect(jobExitCode(job('done', 0))).toBe(0);
    expect(jobExitCode(job('failed', 12))).toBe(12);
    expect(jobExitCode(job('cancelled', 143))).toBe(130);
    expect(jobExitCode(job('dead'))).toBe(137);
    expect(jobExitCode(job('running'))).toBe(124);
    expect(jobExitCode(job('starting'))).toBe(124);
  });

  it('a Gemini-family coder may edit files only with a writable sandbox', () => {
    const args = (readOnly: boolean) =>
      profileArgs(BUILTIN_CLI_PROFILES.gemini!, { wireModel: 'm', prompt: 'p', readOnly, timeoutMs: 1000 });
    expect(args(true)).toContain('default');
    expect(args(true)).not.toContain('auto_edit');
    expect(args(false).slice(-2)).toEqual(['--approval-mode', 'auto_edit']);
    // A profile that does not say how to allow edits sends nothing for them.
    const agy = profileArgs(BUILTIN_CLI_PROFILES.agy!, {
      wireModel: 'm',
      prompt: 'p',
      readOnly: false,
      timeoutMs: 1000,
    });
    expect(agy).not.toContain('--sandbox');
  });
});
