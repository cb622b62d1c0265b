/**
 * `mm models refresh` asks the providers' model lists (loopback fakes), flags retired
 * ids with their replacement, and caches the answer so `mm doctor` and `mm models` warn
 * later without a network call; the hook path never reads the cache.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveCachePath } from '../../src/registry/live-cache.ts';
import { startAnthropicFake } from '../fakes/anthropic-server.ts';
import { codexEnv, startCodexFake } from '../fakes/codex-server.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { startGeminiFake } from '../fakes/gemini-server.ts';
import { startOllamaFake } from '../fakes/local-servers.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { MM_BIN } from '../helpers/mm.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir } from '../helpers/repo.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const CONFIG = `[models]\ngemini_enabled = true\nnano_banana_enabled = true\n`;
/** Codex through the real CLI, isolated (CODEX_HOME) and pointed at a fake. */
const WITH_CODEX = `[models]\ngemini_enabled = true\nnano_banana_enabled = true\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`;
const noKeys = { OPENAI_API_KEY: '', CODEX_API_KEY: '', ANTHROPIC_API_KEY: '', GOOGLE_API_KEY: '', GEMINI_API_KEY: '' };

/** Google still lists the preview Flash but no longer the preview image model: nano-banana-pro is pinned to it here. */
async function googleWithoutPreviewImage() {
  const google = await startGeminiFake({
    knownModels: ['gemini-3.1-pro-preview', 'gemini-3-flash-preview', 'gemini-3-pro-image', 'gemini-3.1-flash-image'],
  });
  closers.push(() => google.close());
  return google;
}

describe('mm models refresh', () => {
  it('flags a retired id with its replacement, caches the answer, exits 1', async () => {
    const google = await googleWithoutPreviewImage();
    const dir = tempDir('mm-refresh-');
    // A config written before the rename: a user entry that still sends the preview id.
    writeProjectConfig(
      dir,
      `${CONFIG}\n[[registry.models]]\nid = "old-banana"\nprovider = "gemini-cli"\nmodel = "gemini-3-pro-image-preview"\nenabled = true\n`,
    );
    const env = { ...noKeys, GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: google.url };
    const r = await mmAsync(['models', 'refresh'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✓ nano-banana-pro +gemini-3-pro-image is listed by Google/);
    expect(r.stdout).toMatch(
      /✗ old-banana +gemini-3-pro-image-preview is unknown or retired at Google → use gemini-3-pro-image\n/,
    );
    expect(r.stdout).toMatch(/Not asked: anthropic: no ANTHROPIC_API_KEY/);
    const listCall = google.requests.find((q) => q.method === 'GET')!;
    expect(listCall.path).toMatch(/^\/v1beta\/models\?pageSize=1000/);
    expect(listCall.headers['x-goog-api-key']).toBe('k');
    const cache = JSON.parse(readFileSync(liveCachePath(dir), 'utf8'));
    expect(cache).toMatchObject({ version: 1, lists: [{ key: 'google', ok: true }] });
    expect(cache.checked_at.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    expect(readFileSync(join(dir, '.claude', 'mm', '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('--json: every provider with a key is asked, and the Codex CLI’s own catalog', async () => {
    const google = await googleWithoutPreviewImage();
    const openai = await startCodexFake({
      knownModels: ['gpt-5.3-codex', 'gpt-5.3-codex-spark', 'gpt-5.2', 'gpt-5.2-mini'],
    });
    const anthropic = await startAnthropicFake({
      knownModels: ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5-20251001'],
    });
    const ollama = await startOllamaFake({ knownModels: ['qwen2.5-coder:32b'] });
    closers.push(
      () => openai.close(),
      () => anthropic.close(),
      () => ollama.close(),
    );
    const dir = tempDir('mm-refresh-');
    writeProjectConfig(
      dir,
      WITH_CODEX.replace('[models]\n', '[models]\nlocal_llm_enabled = true\n') +
        `[models.local_llm]\napi = "ollama"\nendpoint = "${ollama.url}"\n`,
    );
    const env = {
      ...noKeys,
      ...codexEnv(openai, dir),
      GEMINI_API_KEY: 'k',
      GOOGLE_GEMINI_BASE_URL: google.url,
      OPENAI_API_KEY: 'o',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_API_KEY: 'a',
      ANTHROPIC_BASE_URL: anthropic.url,
    };
    const r = await mmIn(['models', 'refresh', '--json'], { cwd: dir, env });
    const out = r.json();
    expect(out.asked.map((a: { key: string }) => a.key).sort()).toEqual(
      ['anthropic', 'codex-cli', 'google', 'openai', `ollama ${ollama.url}`].sort(),
    );
    const notListed = out.findings.filter((f: { listed: boolean }) => !f.listed);
    // Codex CLI 0.169.0 ships no metadata for the 5.2/5.3 slugs (it warns "Model metadata … not found"
    // and runs them on fallback metadata): the only ids reported, and only against the CLI's catalog.
    expect(notListed.map((f: { model: string }) => f.model).sort()).toEqual(
      ['gpt-5.2', 'gpt-5.2-mini', 'gpt-5.3-codex', 'gpt-5.3-codex-spark'].sort(),
    );
    expect(new Set(notListed.map((f: { at: string }) => f.at))).toEqual(
      new Set([`the Codex CLI (${CODEX_BIN} debug models)`]),
    );
    expect(r.code).toBe(1);
    expect(out.ok).toBe(false);
    // Anthropic lists the dated snapshot; the alias mm sends counts as listed.
    expect(out.findings.find((f: { model: string }) => f.model === 'claude-haiku-4-5')).toMatchObject({ listed: true });
    expect(openai.requests.at(-1)!.headers.authorization).toBe('Bearer o');
    expect(anthropic.requests.at(-1)!.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('an unreachable provider is reported with exit 10, and nothing is asked without credentials', async () => {
    const dir = tempDir('mm-refresh-');
    writeProjectConfig(dir, CONFIG);
    const gone = await startGeminiFake();
    await gone.close(); // a port nobody listens on
    const down = await mmIn(['models', 'refresh'], {
      cwd: dir,
      env: { ...noKeys, GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: gone.url },
    });
    expect(down.code).toBe(10);
    expect(down.stdout).toMatch(/! Google: unavailable: unreachable: ECONNREFUSED/);
    const none = await mmIn(['models', 'refresh', '--json'], { cwd: dir, env: noKeys });
    expect(none.code).toBe(0);
    expect(none.json().asked).toEqual([]);
    expect(none.json().not_asked.map((s: { provider: string }) => s.provider)).toEqual(
      expect.arrayContaining(['google', 'anthropic']),
    );
  });

  it('every id listed → exit 0', async () => {
    const google = await googleWithoutPreviewImage();
    const dir = tempDir('mm-refresh-');
    writeProjectConfig(dir, CONFIG);
    const r = await mmIn(['models', 'refresh'], {
      cwd: dir,
      env: { ...noKeys, GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: google.url },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('✗');
  });

  it('bad input exits 2; --help documents the exit codes', async () => {
    const dir = tempDir('mm-refresh-');
    const bad = await mmIn(['models', 'refresh', '--timeout', '0'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout');
    const help = await mmIn(['models', 'refresh', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('1 an id is not listed');
    expect(help.stdout).toContain('.claude/mm/models-live.json');
  });
});

describe('mm doctor and mm models warn from the cache, offline', () => {
  it('after a refresh, with the provider gone, doctor still names the retired id and the fix', async () => {
    const google = await startGeminiFake({ knownModels: ['gemini-3.1-pro-preview', 'gemini-3-pro-image'] });
    const dir = tempDir('mm-doctor-');
    writeProjectConfig(dir, `[models]\ngemini_enabled = true\n`);
    const env = { ...noKeys, GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: google.url, PATH: '/usr/bin:/bin' };
    expect((await mmIn(['models', 'refresh'], { cwd: dir, env })).code).toBe(1); // gemini-3-flash-preview is gone
    const asked = google.requests.length;
    await google.close();

    const doctor = await mmIn(['doctor'], { cwd: dir, env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      /✗ gemini-3-flash\s+enabled\s+gemini-3-flash-preview is unknown or retired at Google \(mm models refresh, \d{4}-\d\d-\d\d\)/,
    );
    const json = (await mmIn(['doctor', '--json'], { cwd: dir, env })).json();
    expect(json.items.find((i: { integration: string }) => i.integration === 'gemini-3-flash')).toMatchObject({
      ok: false,
    });
    const models = await mmIn(['models', '--offline'], { cwd: dir, env });
    expect(models.code).toBe(0);
    expect(models.stdout).toContain('✗ gemini-3-flash: gemini-3-flash-preview is unknown or retired at Google');
    expect(models.stdout).toContain(
      'gemini-3-pro-image-preview → nano-banana-pro: Google retired the preview id; the GA name gemini-3-pro-image (GA 2026-05-28) replaces it (gone 2026-06-25)',
    );
    expect(google.requests.length).toBe(asked); // no network after the refresh
  });

  it('a config that still names a retired id works, and doctor says what to write instead', async () => {
    const dir = tempDir('mm-doctor-');
    writeProjectConfig(
      dir,
      `[models]\ngemini_enabled = true\n[models.gemini]\ndefault_model = "gemini-3-pro-preview"\n`,
    );
    const route = await mmIn(['route', '--category', 'research', '--json'], { cwd: dir });
    expect(route.code).toBe(0);
    const doctor = (await mmIn(['doctor', '--json'], { cwd: dir, env: { ...noKeys, PATH: '/usr/bin:/bin' } })).json();
    expect(doctor.items).toContainEqual(
      expect.objectContaining({
        integration: 'config',
        warning: true,
        detail: expect.stringContaining(
          'models.gemini.default_model = "gemini-3-pro-preview": Google shut down Gemini 3 Pro Preview; its replacement is Gemini 3.1 Pro; it resolves to gemini-3.1-pro',
        ),
      }),
    );
  });

  it('an enabled model its provider shut down is not ready', async () => {
    const dir = tempDir('mm-doctor-');
    writeProjectConfig(dir, `[models]\nsora_enabled = true\n`);
    const doctor = await mmIn(['doctor'], { cwd: dir, env: { ...noKeys, OPENAI_API_KEY: 'x', PATH: '/usr/bin:/bin' } });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ sora-2\s+enabled\s+Sora 2 was shut down by OpenAI/);
  });

  it('an unreadable cache is a warning, never an error', async () => {
    const dir = tempDir('mm-doctor-');
    writeProjectConfig(dir, '');
    const path = liveCachePath(dir);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{not json');
    const models = await mmIn(['models', '--offline'], { cwd: dir });
    expect(models.code).toBe(0);
    expect(models.stderr).toContain('models-live.json is unreadable');
  });
});

describe('the hook path never touches the model-list cache', () => {
  it.each(['mm.js', 'hook-stop.js'])('the hot bundle dist/%s does not hold the cache code', (bundle) => {
    const hot = readFileSync(join(dirname(MM_BIN), '..', 'dist', bundle), 'utf8');
    expect(hot.length).toBeGreaterThan(0);
    expect(hot).not.toContain('is not a model-list cache');
    expect(hot).not.toContain('/v1beta/models?');
  });
});

describe('mm ask on a gone model', () => {
  it('exits 17 with the explained message and prints no answer', async () => {
    const codex = await startCodexFake({ knownModels: ['gpt-5.3-codex'], reply: 'ok from codex' });
    closers.push(() => codex.close());
    const dir = tempDir('mm-ask-gone-');
    writeProjectConfig(dir, `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`);
    const env = { ...codexEnv(codex, dir), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
    const gone = await mmAsync(['ask', 'codex', '--model', 'gpt-5.2', '--no-fallback'], { cwd: dir, env, input: 'hi' });
    expect(gone.code).toBe(17);
    expect(gone.stderr).toContain(
      'mm: codex gpt-5.2: model_not_found: gpt-5.2 no longer exists at OpenAI; `mm models refresh` lists what does',
    );
    expect(gone.stdout).toBe('');
  });

  it('an old id gets a note on stderr and resolves to the current entry', async () => {
    const dir = tempDir('mm-ask-old-');
    const stub = writeStubCli(dir, 'gemini', { kind: 'exit', code: 0, stdout: JSON.stringify({ response: 'hi' }) });
    writeProjectConfig(dir, `[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${stub}"\n`);
    const r = await mmAsync(['ask', 'gemini', '--model', 'gemini-3-pro-preview', '--json'], { cwd: dir, input: 'p' });
    expect(r.stderr).toContain(
      'mm: note: "gemini-3-pro-preview" is an old id: Google shut down Gemini 3 Pro Preview; its replacement is Gemini 3.1 Pro; using gemini-3.1-pro',
    );
    expect(r.json()).toMatchObject({ status: 'ok', model: 'gemini-3.1-pro' });
  });
});
