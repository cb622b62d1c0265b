import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchJobs, generateImages, parseBatch } from '../../src/assets/batch.ts';
import type { ImageJob } from '../../src/assets/image.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { MmError } from '../../src/util/errors.ts';
import { cleanupProjects, CREATIVE_ON, project } from './helpers.ts';

afterAll(cleanupProjects);

const refusal = (text: string) => {
  try {
    parseBatch(text, 'prompts.jsonl');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('parseBatch: a bad line names file:line', () => {
  it.each([
    ['ok\n{"prompt": 3}', 'prompts.jsonl:2: "prompt" must be a non-empty string'],
    ['\n\n{"prompt": "x",', 'prompts.jsonl:3: not valid JSON'],
    ['{"prompt": "x", "resolution": "8K"}', 'prompts.jsonl:1: "resolution" must be 1K, 2K or 4K'],
    ['{"prompt": "x", "name": 7}', 'prompts.jsonl:1: "name" must be a string'],
    ['a\n{"prompt": "x", "size": "big"}', 'prompts.jsonl:2: unknown key "size"'],
    ['# only a comment\n\n', 'prompts.jsonl: no prompts in the batch file'],
  ])('%j', (text, message) => {
    expect(refusal(text)).toContain(message);
  });
});

describe('batchJobs', () => {
  const items = (text: string) => parseBatch(text, 'b.txt');

  it('numbers unnamed prompts after --name and keeps per-line resolutions', () => {
    const jobs = batchJobs(items('one\n{"prompt":"two","name":"special","resolution":"4K"}'), 'b.txt', 'icon', {
      resolution: '1K',
    });
    expect(jobs.map((j) => [j.stem, j.prompt, j.resolution])).toEqual([
      ['icon-1', 'one', '1K'],
      ['special', 'two', '4K'],
    ]);
  });

  it('refuses a name with a separator, or a name used twice, naming the line', () => {
    expect(() => batchJobs(items('x\n{"prompt":"y","name":"../up"}'), 'b.txt', 's', {})).toThrow(
      /b\.txt:2: name "\.\.\/up"/,
    );
    expect(() =>
      batchJobs(items('{"prompt":"a","name":"n"}\n\n{"prompt":"b","name":"n.png"}'), 'b.txt', 's', {}),
    ).toThrow('b.txt:3: name "n" is already used on line 1');
  });
});

describe('generateImages', () => {
  const jobs: ImageJob[] = ['a', 'b', 'c'].map((stem) => ({ prompt: stem, stem }));
  const outcome = (job: ImageJob) => ({ stored: { relativePath: job.stem } as never, text: '' });

  it('records a failed prompt and goes on with the rest, reporting each in order', async () => {
    const seen: string[] = [];
    const results = await generateImages(
      jobs,
      async (job) => {
        if (job.stem === 'b') throw new MmError('failed', 'every image model failed');
        return outcome(job);
      },
      (r) => seen.push(`${r.job.stem}:${'error' in r ? r.error.kind : 'ok'}`),
    );
    expect(seen).toEqual(['a:ok', 'b:failed', 'c:ok']);
    expect(results).toHaveLength(3);
  });

  it.each(['auth', 'budget', 'needs_confirmation', 'config', 'usage'] as const)(
    'a %s failure (every prompt would share it) ends the batch',
    async (kind) => {
      let calls = 0;
      const run = generateImages(jobs, async () => {
        calls++;
        throw new MmError(kind, 'no');
      });
      await expect(run).rejects.toMatchObject({ kind });
      expect(calls).toBe(1);
    },
  );

  it('a lone job, or an error that is not an MmError, is thrown', async () => {
    await expect(
      generateImages([jobs[0]!], async () => {
        throw new MmError('failed', 'x');
      }),
    ).rejects.toMatchObject({ kind: 'failed' });
    await expect(
      generateImages(jobs, async () => {
        throw new TypeError('bug');
      }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe('mm image generate --batch with a bad line', () => {
  it('exits non-zero naming file:line, calls nothing and writes nothing', async () => {
    const dir = project(CREATIVE_ON);
    writeFileSync(join(dir, 'prompts.txt'), 'first icon\n{"prompt": "second", "resolution": "8K"}\n');
    const before = readdirSync(dir, { recursive: true }).sort();
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['image', 'generate', '--batch', 'prompts.txt', '--name', 'icon'], {
      cwd: dir,
      env: { PATH: process.env.PATH, GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9' },
      isTTY: false,
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
    });
    expect(code).toBe(EXIT.usage);
    expect(err.join('\n')).toContain('prompts.txt:2: "resolution" must be 1K, 2K or 4K');
    expect(out).toEqual([]);
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(before);
  });
});
