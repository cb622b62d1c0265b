/**
 * Asset commands on the real provider policies: the secrets guard before anything is
 * sent (image prompts, prototype files), the usage ledger in the LedgerEntry format
 * (`mm usage` reports image calls with their cost), and [usage] budgets before a paid call.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { readLedger } from '../../src/usage/ledger.ts';
import { startGeminiFake, type GeminiFake } from './fakes/gemini.ts';
import { startSoraFake, type SoraFake } from './fakes/sora.ts';
import { cleanupProjects, CREATIVE_ON, geminiEnv, mmAsync, mmIn, project, today } from './helpers.ts';

const NBP = 'gemini-3-pro-image';
const SECRET = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
let fake: GeminiFake | undefined;
afterAll(cleanupProjects);
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const env = geminiEnv;

describe('asset commands: secrets guard', () => {
  it('redacts a secret in an image prompt before the request; the stored prompt and the warning say so', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(
      ['image', 'generate', '--prompt', `a banner showing the token ${SECRET}`, '--name', 'banner', '--json'],
      { cwd: dir, env: env(fake) },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(fake.bodies)).not.toContain(SECRET);
    expect(fake.bodies[0]!.body.contents[0].parts[0].text).toBe('a banner showing the token [REDACTED GitHub token]');
    expect(r.stderr).toContain('redacted 1 × GitHub token');
    const folder = join(dir, 'assets', 'ai-gen', today(), 'nano-banana-pro');
    expect(readFileSync(join(folder, 'banner.prompt.txt'), 'utf8')).not.toContain(SECRET);
    expect(r.json().meta.withheld).toEqual(['redacted 1 × GitHub token']);
  });

  it('on_secret = "refuse": refuses before any request and stores nothing', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(`${CREATIVE_ON}\n[secrets]\non_secret = "refuse"\n`);
    const r = await mmIn(['image', 'generate', '--prompt', `logo ${SECRET}`, '--name', 'logo'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/secret-looking strings \(GitHub token\); nothing was sent/);
    expect(r.stderr).not.toContain(SECRET);
    expect(fake.requests).toHaveLength(0);
    expect(readdirSync(dir)).not.toContain('assets');
  });

  it('mm prototype --file withholds secret paths unread and redacts secrets in the files it sends', async () => {
    fake = await startGeminiFake({
      'gemini-3.1-pro-preview': { kind: 'text', text: '```ts file=src/a.ts\nexport const a = 2;\n```' },
    });
    const dir = project(CREATIVE_ON);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.ts'), `export const a = 1; // token ${SECRET}\n`);
    writeFileSync(join(dir, '.env'), 'DATABASE_PASSWORD=hunter2-very-secret\n');
    const r = await mmIn(['prototype', '--feature', 'bump a', '--files', 'src/a.ts', '--files', '.env', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code, r.stderr).toBe(0);
    const sent = JSON.stringify(fake.bodies);
    expect(sent).not.toContain(SECRET);
    expect(sent).not.toContain('hunter2');
    expect(sent).not.toContain('--- .env ---');
    expect(sent).toContain('--- src/a.ts ---');
    expect(r.json().withheld).toEqual(['withheld file .env (secret path)', 'redacted 1 × GitHub token']);
    expect(r.stderr).toContain('withheld file .env (secret path)');
  });
});

describe('asset commands: ledger and budgets', () => {
  it('an image call is a LedgerEntry line: mm usage --json reports it with its estimated cost', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(CREATIVE_ON);
    expect(
      (
        await mmIn(['image', 'generate', '--prompt', 'a fox', '--name', 'fox', '--resolution', '2K'], {
          cwd: dir,
          env: env(fake),
        })
      ).code,
    ).toBe(0);
    const [line] = readLedger(join(dir, '.claude', 'mm', 'usage.jsonl'));
    expect(line).toMatchObject({
      provider: 'nano-banana',
      model: 'nano-banana-pro',
      task: 'image_generation',
      status: 'ok',
      cost_usd: 0.134,
    });
    expect(line!.tokens).toEqual({ input: expect.any(Number), output: expect.any(Number), reasoning: 0, cached: 0 });
    const usage = await mmIn(['usage', '--json'], { cwd: dir });
    expect(usage.code, usage.stderr).toBe(0);
    const report = usage.json();
    expect(report.rows).toEqual([
      expect.objectContaining({ key: 'nano-banana-pro', calls: 1, failures: 0, costUsd: 0.134, unpriced: 0 }),
    ]);
    expect(report.total).toMatchObject({ calls: 1, costUsd: 0.134 });
  });

  it('a failed image model and its fallback are two ledger lines, the second marked as a fallback', async () => {
    fake = await startGeminiFake({
      [NBP]: { kind: 'error', status: 500, message: 'backend exploded' },
      'gemini-3.1-pro-preview': { kind: 'image' },
    });
    const dir = project(CREATIVE_ON);
    expect(
      (await mmIn(['image', 'generate', '--prompt', 'a fox', '--name', 'fox'], { cwd: dir, env: env(fake) })).code,
    ).toBe(0);
    const ledger = readLedger(join(dir, '.claude', 'mm', 'usage.jsonl'));
    expect(ledger.map((e) => [e.model, e.status, e.fallback_from ?? null])).toEqual([
      ['nano-banana-pro', 'failed', null],
      ['gemini-3.1-pro', 'ok', 'nano-banana-pro'],
    ]);
  });

  it('a monthly budget the image would exceed refuses before the fake sees a request', async () => {
    fake = await startGeminiFake({ [NBP]: { kind: 'image' } });
    const dir = project(`${CREATIVE_ON}\n[usage]\nmonthly_budget_usd = 0.1\n`);
    const r = await mmIn(['image', 'generate', '--prompt', 'a fox', '--name', 'fox', '--resolution', '2K'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.budget);
    expect(r.stderr).toMatch(/monthly_budget_usd \(\$0\.1\) would be exceeded.*nothing was sent/);
    expect(fake.requests).toHaveLength(0);
    expect(readLedger(join(dir, '.claude', 'mm', 'usage.jsonl'))).toEqual([]);
  });
});

describe('video: guard, budget, ledger', () => {
  const soraEnv = (f: SoraFake) => ({
    OPENAI_API_KEY: 'test-openai-key',
    OPENAI_BASE_URL: `${f.url}/v1`,
    MM_VIDEO_POLL_MS: '20',
  });
  let sora: SoraFake | undefined;
  afterEach(async () => {
    await sora?.close();
    sora = undefined;
  });

  it('a video that would exceed the monthly budget is refused before the create request', async () => {
    sora = await startSoraFake('complete');
    const dir = project(`${CREATIVE_ON}\n[usage]\nmonthly_budget_usd = 0.5\n`);
    const r = await mmIn(['video', 'generate', '--prompt', 'a demo', '--name', 'demo', '--seconds', '8'], {
      cwd: dir,
      env: soraEnv(sora),
    });
    expect(r.code).toBe(EXIT.budget);
    expect(sora.created).toEqual([]);
  });

  it('redacts a secret in the video prompt and writes the call to the ledger with its cost', async () => {
    sora = await startSoraFake('complete');
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['video', 'generate', '--prompt', `a demo of ${SECRET}`, '--name', 'demo', '--seconds', '8'], {
      cwd: dir,
      env: soraEnv(sora),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.stringify(sora.created)).not.toContain(SECRET);
    expect(r.stderr).toContain('redacted 1 × GitHub token');
    expect(readLedger(join(dir, '.claude', 'mm', 'usage.jsonl'))).toMatchObject([
      { provider: 'sora', model: 'sora-2', task: 'video_generation', status: 'ok', cost_usd: 0.8 },
    ]);
  });
});
