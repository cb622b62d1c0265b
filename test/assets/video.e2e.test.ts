import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { sha256Hex } from '../../src/assets/store.ts';
import { FAKE_MP4, startSoraFake, type SoraFake } from './fakes/sora.ts';
import { CREATIVE_ON, cleanupProjects, mmAsync, mmIn, project, today } from './helpers.ts';

let fake: SoraFake | undefined;
afterAll(cleanupProjects);
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const env = (f: SoraFake) => ({
  OPENAI_API_KEY: 'test-openai-key',
  OPENAI_BASE_URL: `${f.url}/v1`,
  MM_VIDEO_POLL_MS: '20',
});

describe('mm video generate', () => {
  it('creates, polls queued → in_progress → completed with progress, downloads and stores with provenance', async () => {
    fake = await startSoraFake('complete');
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(
      [
        'video',
        'generate',
        '--prompt',
        'a product demo',
        '--name',
        'demo',
        '--seconds',
        '8',
        '--size',
        '1280x720',
        '--json',
      ],
      { cwd: dir, env: env(fake) },
    );
    expect(r.code).toBe(0);
    expect(fake.created).toEqual([{ model: 'sora-2', prompt: 'a product demo', seconds: '8', size: '1280x720' }]);
    expect(r.stderr).toMatch(/video_1 queued/);
    expect(r.stderr).toMatch(/in_progress 40%/);
    expect(r.stderr).toMatch(/completed 100%/);
    const out = r.json();
    expect(out.asset).toBe(`assets/ai-gen/${today()}/sora-2/demo.mp4`);
    expect(readFileSync(join(dir, out.asset))).toEqual(FAKE_MP4);
    expect(out.meta).toMatchObject({
      model: 'sora-2',
      provider: 'openai',
      task: 'video_generation',
      seed: null,
      sha256: sha256Hex(FAKE_MP4),
      mime_type: 'video/mp4',
      request_id: 'req_content_1',
      estimated_cost_usd: 0.8,
      parameters: { seconds: '8', size: '1280x720', video_id: 'video_1', remix_of: null },
    });
    expect(readFileSync(join(dir, `assets/ai-gen/${today()}/sora-2/demo.prompt.txt`), 'utf8')).toBe('a product demo');
  });

  it('remixes an earlier video by id', async () => {
    fake = await startSoraFake('complete');
    const dir = project(CREATIVE_ON);
    const r = await mmIn(
      ['video', 'generate', '--prompt', 'now at night', '--name', 'demo-night', '--remix', 'video_0', '--json'],
      { cwd: dir, env: env(fake) },
    );
    expect(r.code).toBe(0);
    expect(fake.created).toEqual([{ remix: 'video_0', prompt: 'now at night' }]);
    expect(r.json().meta).toMatchObject({ task: 'video_remix', parameters: { remix_of: 'video_0' } });
  });

  it('a failed job exits 1 with the provider reason and stores nothing', async () => {
    fake = await startSoraFake('fail');
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['video', 'generate', '--prompt', 'x', '--name', 'x'], { cwd: dir, env: env(fake) });
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toMatch(/video_1 failed: moderation_blocked: the prompt was blocked/);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
    expect(fake.requests.some((q) => q.url.endsWith('/content'))).toBe(false);
  });

  it('a job that never finishes times out with exit 11 and names the job', async () => {
    fake = await startSoraFake('stuck');
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(['video', 'generate', '--prompt', 'x', '--name', 'x', '--timeout', '1'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.timeout);
    expect(r.stderr).toMatch(/video_1 still in_progress .* after 1 s/);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
    const ledger = readFileSync(join(dir, '.claude', 'mm', 'usage.jsonl'), 'utf8');
    expect(JSON.parse(ledger.trim())).toMatchObject({
      task: 'video_generation',
      status: 'timeout',
      request_id: 'video_1',
    });
  });

  it('--resume waits for an earlier job and stores it without creating a new one', async () => {
    fake = await startSoraFake('complete');
    const dir = project(CREATIVE_ON);
    const first = await mmIn(['video', 'generate', '--prompt', 'slow one', '--name', 'slow', '--timeout', '1'], {
      cwd: dir,
      env: { ...env(fake), MM_VIDEO_POLL_MS: '5000' },
    });
    expect(first.code).toBe(EXIT.timeout);
    expect(first.stderr).toMatch(/--resume video_1/);
    const r = await mmIn(['video', 'generate', '--resume', 'video_1', '--name', 'slow', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    expect(fake.created).toHaveLength(1);
    expect(r.json().meta.parameters.video_id).toBe('video_1');
    expect(readFileSync(join(dir, r.json().asset.replace(/\.mp4$/, '.prompt.txt')), 'utf8')).toBe('slow one');
  });

  it('bad credentials exit 15', async () => {
    fake = await startSoraFake('complete');
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(['video', 'generate', '--prompt', 'x', '--name', 'x'], {
      cwd: dir,
      env: { ...env(fake), OPENAI_API_KEY: 'wrong' },
    });
    expect(r.code).toBe(EXIT.auth);
  });

  it('a bad [asset_pipeline] structure is refused before the job is created', async () => {
    fake = await startSoraFake('complete');
    const dir = project(`${CREATIVE_ON}\n[asset_pipeline]\nstructure = "{model}"\n`);
    const r = await mmIn(['video', 'generate', '--prompt', 'x', '--name', 'x'], { cwd: dir, env: env(fake) });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/must end with \{filename\}/);
    expect(fake.created).toEqual([]);
  });

  it('needs Sora enabled', async () => {
    const dir = project('[models]\n');
    const r = await mmIn(['video', 'generate', '--prompt', 'x', '--name', 'x'], {
      cwd: dir,
      env: { OPENAI_API_KEY: 'k' },
    });
    expect(r.code).toBe(EXIT.unavailable);
    expect(r.stderr).toMatch(/sora_enabled = true/);
  });
});
