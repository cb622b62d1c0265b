import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startGeminiFake, type GeminiFake } from './fakes/gemini.ts';
import { PNG_SIGNATURE, tinyPng } from './fakes/png.ts';
import { cleanupProjects, CREATIVE_ON, geminiEnv, mmAsync, mmIn, project, today } from './helpers.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { assetMetaSchema } from '../../src/assets/meta.ts';
import { sha256Hex } from '../../src/assets/store.ts';

const NBP = 'gemini-3-pro-image';
const GEMINI_PRO = 'gemini-3.1-pro-preview';
let fake: GeminiFake | undefined;
afterAll(cleanupProjects);
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const env = geminiEnv;

describe('mm image generate', () => {
  it('stores a real PNG with its prompt and provenance record', async () => {
    const png = tinyPng(3, 2, [255, 0, 0]);
    fake = await startGeminiFake({ [NBP]: { kind: 'image', png, text: 'Here is your hero.' } });
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(
      [
        'image',
        'generate',
        '--prompt',
        'a red hero banner',
        '--name',
        'hero',
        '--resolution',
        '2K',
        '--seed',
        '42',
        '--json',
      ],
      { cwd: dir, env: env(fake) },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.json();
    const folder = join(dir, 'assets', 'ai-gen', today(), 'nano-banana-pro');
    expect(out.asset).toBe(`assets/ai-gen/${today()}/nano-banana-pro/hero.png`);
    const bytes = readFileSync(join(folder, 'hero.png'));
    expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(bytes).toEqual(png);
    expect(readFileSync(join(folder, 'hero.prompt.txt'), 'utf8')).toBe('a red hero banner');
    const meta = assetMetaSchema.parse(JSON.parse(readFileSync(join(folder, 'hero.meta.json'), 'utf8')));
    expect(meta).toMatchObject({
      file: 'hero.png',
      model: 'nano-banana-pro',
      provider: 'google',
      task: 'image_generation',
      seed: 42,
      sha256: sha256Hex(png),
      request_id: 'resp-1',
      estimated_cost_usd: 0.134,
      fallback: null,
      mime_type: 'image/png',
    });
    expect(meta.parameters).toMatchObject({ resolution: '2K' });
    expect(meta.watermark.reported).toBe(false);
    expect(meta.watermark.provider_policy).toMatch(/SynthID/);
    // The request carried the prompt, resolution and seed through the SDK.
    const body = fake.bodies[0]!.body;
    expect(body.contents[0].parts[0].text).toBe('a red hero banner');
    expect(body.generationConfig.imageConfig.imageSize).toBe('2K');
    expect(body.generationConfig.seed).toBe(42);
    // The call is in the usage ledger.
    const ledger = readFileSync(join(dir, '.claude', 'mm', 'usage.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ledger).toMatchObject([
      { task: 'image_generation', model: 'nano-banana-pro', status: 'ok', asset: out.asset },
    ]);
  });

  it('never overwrites: a second asset with the same name gets -2', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    for (let i = 0; i < 2; i++)
      expect(
        (await mmIn(['image', 'generate', '--prompt', `p${i}`, '--name', 'logo'], { cwd: dir, env: env(fake) })).code,
      ).toBe(0);
    const folder = join(dir, 'assets', 'ai-gen', today(), 'nano-banana-pro');
    expect(readdirSync(folder).sort()).toEqual([
      'logo-2.meta.json',
      'logo-2.png',
      'logo-2.prompt.txt',
      'logo.meta.json',
      'logo.png',
      'logo.prompt.txt',
    ]);
    expect(readFileSync(join(folder, 'logo.prompt.txt'), 'utf8')).toBe('p0');
    expect(readFileSync(join(folder, 'logo-2.prompt.txt'), 'utf8')).toBe('p1');
  });

  it('falls back to the next image model when Nano Banana Pro fails, and records it (Pattern B)', async () => {
    fake = await startGeminiFake({
      [NBP]: { kind: 'error', status: 500, message: 'backend exploded' },
      [GEMINI_PRO]: { kind: 'image' },
    });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'hero', '--name', 'hero', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    const { meta, asset } = r.json();
    expect(asset).toContain('/gemini-3.1-pro/hero.png');
    expect(meta.model).toBe('gemini-3.1-pro');
    expect(meta.fallback.from).toBe('nano-banana-pro');
    expect(meta.fallback.failures[0]).toMatchObject({ model: 'nano-banana-pro' });
    expect(meta.fallback.failures[0].error).toMatch(/500.*backend exploded/);
    expect(fake.bodies.map((b) => b.model)).toEqual([NBP, GEMINI_PRO]);
  });

  it('falls back when the model answers without an image', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'no-image' }, [GEMINI_PRO]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'hero', '--name', 'hero', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    expect(r.json().meta.fallback.failures[0].error).toMatch(/no image/);
  });

  it('fails with the provider error kind when every model fails, and leaves no files', async () => {
    fake = await startGeminiFake({ '*': { kind: 'error', status: 429, message: 'quota' } });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'hero', '--name', 'hero'], { cwd: dir, env: env(fake) });
    expect(r.code).toBe(EXIT.rate_limited);
    expect(r.stderr).toMatch(/every image model failed: nano-banana-pro: .*429.*gemini-3.1-pro/);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
  });

  it('sends the GA id for Nano Banana Pro, never the retired preview id', async () => {
    // Google knows only today's ids: the preview id would get its real 404.
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'hero', '--name', 'hero', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    expect(fake.bodies.map((b) => b.model)).toEqual(['gemini-3-pro-image']);
  });

  it('a retired model id is its own answer: exit 17, explained, no fallback for an explicit --model', async () => {
    // gemini-3.1-pro still sends its preview id; here Google has retired it.
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(['image', 'generate', '--prompt', 'hero', '--name', 'hero', '--model', 'gemini-3.1-pro'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.model_not_found);
    expect(r.stderr).toContain(
      'gemini-3.1-pro-preview no longer exists at Google; `mm models refresh` lists what does [HTTP 404: ',
    );
    expect(fake.bodies.map((b) => b.model)).toEqual([GEMINI_PRO]);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
    const ledger = readFileSync(join(dir, '.claude', 'mm', 'usage.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ledger).toMatchObject([{ model: 'gemini-3.1-pro', status: 'model_not_found' }]);
  });

  it('without --model, a retired id falls back along the image chain (Pattern B) and the record says why', async () => {
    fake = await startGeminiFake({ [GEMINI_PRO]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'hero', '--name', 'hero', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    expect(r.json().meta.fallback.failures[0]).toMatchObject({ model: 'nano-banana-pro' });
    expect(r.json().meta.fallback.failures[0].error).toMatch(/^gemini-3-pro-image no longer exists at Google/);
  });

  it('--model skips the fallback (explicit request)', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'error', status: 503 }, [GEMINI_PRO]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'hero', '--name', 'hero', '--model', 'nbp'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.failed);
    expect(fake.bodies.map((b) => b.model)).toEqual([NBP]);
  });

  it('edits an input image: sends it inline and records its hash', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const input = tinyPng(1, 1);
    writeFileSync(join(dir, 'logo.png'), input);
    const r = await mmIn(
      ['image', 'generate', '--prompt', 'make it blue', '--input-image', 'logo.png', '--name', 'logo-blue', '--json'],
      { cwd: dir, env: env(fake) },
    );
    expect(r.code).toBe(0);
    expect(fake.bodies[0]!.body.contents[0].parts[1].inlineData).toEqual({
      mimeType: 'image/png',
      data: input.toString('base64'),
    });
    expect(r.json().meta).toMatchObject({
      task: 'image_edit',
      parameters: { input_image: { file: 'logo.png', sha256: sha256Hex(input) } },
    });
  });

  it('batch: one prompt per line or JSONL, each stored', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    writeFileSync(
      join(dir, 'prompts.txt'),
      'first icon\n\n# comment\n{"prompt": "second icon", "name": "special", "resolution": "4K"}\n',
    );
    const r = await mmIn(['image', 'generate', '--batch', 'prompts.txt', '--name', 'icon', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    const { results } = r.json();
    expect(results.map((x: any) => x.asset.split('/').pop())).toEqual(['icon-1.png', 'special.png']);
    expect(results[1].meta.estimated_cost_usd).toBe(0.24);
  });

  it('batch: a failed prompt does not cancel the rest, and the exit code reports it', async () => {
    fake = await startGeminiFake({ '*': { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    writeFileSync(join(dir, 'prompts.txt'), 'good one\nFAIL_ME please\nanother good one\n');
    const r = await mmIn(['image', 'generate', '--batch', 'prompts.txt', '--name', 'b', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.failed);
    expect(r.json().results.map((x: any) => x.ok)).toEqual([true, false, true]);
    expect(r.stderr).toMatch(/b-2: every image model failed/);
  });

  it('refuses names with separators or ".." before calling any model', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    for (const name of ['../escape', 'a/b', 'a\\b', '..']) {
      const r = await mmIn(['image', 'generate', '--prompt', 'x', '--name', name], { cwd: dir, env: env(fake) });
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toMatch(/--name .*(separators|"\.\.")/);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('a bad [asset_pipeline] folder is refused before the paid call, not after it', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    for (const pipeline of ['structure = "{date}/{model}"', 'output_dir = "../outside"']) {
      const dir = project(`${CREATIVE_ON}\n[asset_pipeline]\n${pipeline}\n`);
      const r = await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'x'], { cwd: dir, env: env(fake) });
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toMatch(/\[asset_pipeline\]/);
      expect(existsSync(join(dir, '.claude', 'mm', 'usage.jsonl'))).toBe(false);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('an image bought but not stored is still a ledger line with its cost', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    mkdirSync(join(dir, 'assets', 'ai-gen'), { recursive: true });
    writeFileSync(join(dir, 'assets', 'ai-gen', today()), 'a file where the date folder should be');
    const r = await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'x'], { cwd: dir, env: env(fake) });
    expect(r.code).not.toBe(0);
    expect(fake.requests).toHaveLength(1);
    const ledger = readFileSync(join(dir, '.claude', 'mm', 'usage.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ledger).toMatchObject([
      {
        model: 'nano-banana-pro',
        status: 'failed',
        cost_usd: 0.134,
        error: expect.stringMatching(/^generated but not stored/),
      },
    ]);
  });

  it('asks first when no image model preference is configured (Pattern B), and --yes confirms', async () => {
    fake = await startGeminiFake({ '*': { kind: 'image' } });
    const dir = project('[models]\nnano_banana_enabled = true\ngemini_enabled = true\n');
    const asked = await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'x'], { cwd: dir, env: env(fake) });
    expect(asked.code).toBe(EXIT.needs_confirmation);
    expect(asked.stderr).toMatch(/would use nano-banana-pro, then gemini-3.1-pro/);
    expect(fake.requests).toHaveLength(0);
    const yes = await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'x', '--yes'], {
      cwd: dir,
      env: env(fake),
    });
    expect(yes.stderr).toBe('');
    expect(yes.code).toBe(0);
    expect(
      (
        await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'y', '--model', 'gemini'], {
          cwd: dir,
          env: env(fake),
        })
      ).code,
    ).toBe(0);
  });

  it('says how to enable an image model when none is', async () => {
    const dir = project('[models]\n');
    const r = await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'x'], {
      cwd: dir,
      env: { GEMINI_API_KEY: 'k' },
    });
    expect(r.code).toBe(EXIT.unavailable);
    expect(r.stderr).toMatch(/nano_banana_enabled = true/);
  });

  it('a rejected API key exits 15', async () => {
    fake = await startGeminiFake({ '*': { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(['image', 'generate', '--prompt', 'x', '--name', 'x'], {
      cwd: dir,
      env: { ...env(fake), GEMINI_API_KEY: 'wrong' },
    });
    expect(r.code).toBe(EXIT.auth);
    expect(r.stderr).toMatch(/403/);
  });

  it('names the missing API key', async () => {
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['image', 'generate', '--prompt', 'x', '--name', 'x'], { cwd: dir });
    expect(r.code).toBe(EXIT.unavailable);
    expect(r.stderr).toMatch(/GEMINI_API_KEY/);
  });
});
