import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJob, listJobs, recordPid } from '../../src/jobs/store.ts';
import { removeJobTemp } from '../../src/jobs/temp.ts';
import { tempDir } from '../helpers/repo.ts';

describe("a job's temp folders", () => {
  it('are removed only when they are mm- folders directly under the temp dir', () => {
    const ours = mkdtempSync(join(tmpdir(), 'mm-mcp-'));
    const notOurs = tempDir('other-'); // tempDir names start "other-": not an mm- folder
    const nested = join(tempDir('mm-test-'), 'mm-inner');
    mkdirSync(nested);
    const outside = join(tempDir('mm-test-'), 'keep.txt');
    writeFileSync(outside, 'x');
    removeJobTemp([ours, notOurs, nested, outside, '/']);
    expect(existsSync(ours)).toBe(false);
    expect(existsSync(notOurs)).toBe(true);
    expect(existsSync(nested)).toBe(true);
    expect(existsSync(outside)).toBe(true);
  });

  it('of a job that died without its own clean-up are removed when the job is next listed', () => {
    const root = tempDir('mm-jobs-');
    const prompt = mkdtempSync(join(tmpdir(), 'mm-mcp-'));
    writeFileSync(join(prompt, 'prompt-0.txt'), 'a prompt');
    const job = createJob(root, { command: 'ask', argv: ['ask', 'claude'], cwd: root, stdin: false, temp: [prompt] });
    // A pid that is not this job's process (the start time never matches): the job is dead.
    recordPid(root, job, process.pid, 'not-a-start-time');
    expect(listJobs(root).find((j) => j.job === job.job)?.state).toBe('dead');
    expect(existsSync(prompt)).toBe(false);
  });
});
