import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { startGeminiFake, type GeminiFake } from './fakes/gemini.ts';
import { tinyPng } from './fakes/png.ts';
import { cleanupProjects, CREATIVE_ON, geminiEnv, mmAsync, mmIn, project, today } from './helpers.ts';

let fake: GeminiFake | undefined;
afterAll(cleanupProjects);
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const env = geminiEnv;

describe('mm assets record / verify / list', () => {
  it('records an SVG made elsewhere, lists it, verifies it, then catches tampering', async () => {
    const dir = project(CREATIVE_ON);
    writeFileSync(join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    writeFileSync(join(dir, 'icon-prompt.txt'), 'a minimal gear icon');
    const rec = await mmAsync(
      ['assets', 'record', 'icon.svg', '--model', 'sonnet', '--prompt-file', 'icon-prompt.txt', '--json'],
      { cwd: dir },
    );
    expect(rec.code).toBe(0);
    const stored = join(dir, 'assets', 'ai-gen', today(), 'claude-sonnet-4-6', 'icon.svg');
    expect(rec.json()).toMatchObject({
      copied: true,
      path: stored,
      meta: { source: 'recorded', model: 'claude-sonnet-4-6', mime_type: 'image/svg+xml' },
    });
    expect(readFileSync(stored.replace(/\.svg$/, '.prompt.txt'), 'utf8')).toBe('a minimal gear icon');

    const list = await mmIn(['assets', 'list', '--json'], { cwd: dir });
    expect(list.json().assets.map((a: any) => a.path)).toEqual([`assets/ai-gen/${today()}/claude-sonnet-4-6/icon.svg`]);
    expect((await mmIn(['assets', 'verify'], { cwd: dir })).code).toBe(0);

    writeFileSync(stored, '<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>\n');
    const bad = await mmIn(['assets', 'verify', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.json()).toMatchObject({ ok: false, checked: 1, problems: [{ kind: 'hash_mismatch' }] });
    const human = await mmIn(['assets', 'verify'], { cwd: dir });
    expect(human.stdout).toMatch(/icon\.svg: hash mismatch/);
  });

  it('records a file already in the store in place, and refuses to replace its provenance', async () => {
    const dir = project(CREATIVE_ON);
    const folder = join(dir, 'assets', 'ai-gen', 'manual');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'wave.svg'), '<svg/>');
    expect((await mmIn(['assets', 'verify'], { cwd: dir })).code).toBe(1); // no sidecars yet
    const first = await mmIn(
      ['assets', 'record', 'assets/ai-gen/manual/wave.svg', '--model', 'gemini', '--prompt', 'animated wave'],
      { cwd: dir },
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^recorded /);
    expect(existsSync(join(folder, 'wave.meta.json'))).toBe(true);
    expect((await mmIn(['assets', 'verify'], { cwd: dir })).code).toBe(0);
    const again = await mmIn(
      ['assets', 'record', 'assets/ai-gen/manual/wave.svg', '--model', 'gemini', '--prompt', 'other'],
      { cwd: dir },
    );
    expect(again.code).toBe(EXIT.usage);
    expect(again.stderr).toMatch(/already has provenance/);
    expect(readFileSync(join(folder, 'wave.prompt.txt'), 'utf8')).toBe('animated wave');
  });

  it('record with store_prompts and store_metadata both off refuses, writes nothing, exits 2, and --help says so', async () => {
    const dir = project(`${CREATIVE_ON}\n[asset_pipeline]\nstore_prompts = false\nstore_metadata = false\n`);
    writeFileSync(join(dir, 'icon.svg'), '<svg/>');
    const r = await mmIn(['assets', 'record', 'icon.svg', '--model', 'sonnet', '--prompt', 'a gear'], { cwd: dir });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).not.toMatch(/recorded|copied/);
    expect(r.stderr).toMatch(/store_prompts and store_metadata are both off.*nothing was written/);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
    const help = await mmIn(['assets', 'record', '--help'], { cwd: dir });
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/With both off .* refuses, writes nothing and exits 2/);
  });

  it('record says which sidecars it wrote and which config turned off', async () => {
    const dir = project(`${CREATIVE_ON}\n[asset_pipeline]\nstore_metadata = false\n`);
    writeFileSync(join(dir, 'icon.svg'), '<svg/>');
    const r = await mmIn(['assets', 'record', 'icon.svg', '--model', 'sonnet', '--prompt', 'a gear'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/prompt: .*icon\.prompt\.txt/);
    expect(r.stdout).toMatch(/metadata: not recorded \(asset_pipeline\.store_metadata is off/);
  });

  it('verify with store_metadata off reports hashes as not checked, per asset, never as matching', async () => {
    const dir = project(`${CREATIVE_ON}\n[asset_pipeline]\nstore_metadata = false\n`);
    writeFileSync(join(dir, 'icon.svg'), '<svg/>');
    expect(
      (await mmIn(['assets', 'record', 'icon.svg', '--model', 'sonnet', '--prompt', 'a gear'], { cwd: dir })).code,
    ).toBe(0);
    const human = await mmIn(['assets', 'verify'], { cwd: dir });
    expect(human.code).toBe(0);
    expect(human.stdout).not.toMatch(/sidecars present, hashes match/);
    expect(human.stdout).toMatch(
      /\? assets\/ai-gen\/.*icon\.svg: hash not checked: no \.meta\.json \(asset_pipeline\.store_metadata is off\)/,
    );
    expect(human.stdout).toMatch(/0 hashes match, 1 not checked/);
    const json = (await mmIn(['assets', 'verify', '--json'], { cwd: dir })).json();
    expect(json).toMatchObject({
      ok: true,
      checked: 1,
      hashes_matched: 0,
      hashes_unchecked: 1,
      assets: [{ prompt: 'present', metadata: 'off', hash: 'unchecked' }],
    });
  });

  it('record refuses a --name with a path', async () => {
    const dir = project(CREATIVE_ON);
    writeFileSync(join(dir, 'a.png'), tinyPng());
    const r = await mmIn(['assets', 'record', 'a.png', '--model', 'nbp', '--prompt', 'x', '--name', '../../etc/x'], {
      cwd: dir,
    });
    expect(r.code).toBe(EXIT.usage);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
  });

  it('list and verify on an empty store', async () => {
    const dir = project('');
    expect((await mmIn(['assets', 'list'], { cwd: dir })).stdout).toMatch(/no assets under assets\/ai-gen/);
    expect((await mmIn(['assets', 'verify'], { cwd: dir })).code).toBe(0);
  });
});

describe('mm svg route', () => {
  it('simple → Claude, complex → Gemini when enabled, via the routing tree', async () => {
    const dir = project(CREATIVE_ON);
    expect((await mmAsync(['svg', 'route', '--json'], { cwd: dir })).json()).toMatchObject({
      category: 'svg',
      provider: 'claude',
    });
    expect((await mmIn(['svg', 'route', '--complex', '--json'], { cwd: dir })).json()).toMatchObject({
      model: 'gemini-3.1-pro',
      provider: 'gemini',
    });
    const off = await mmIn(['svg', 'route', '--complex'], { cwd: project('[models]\n') });
    expect(off.stdout).toMatch(/^svg → claude-sonnet-4-6/);
  });
});

const MOCKUP_REPLY = [
  'Here is the card.',
  '```tsx file=components/ProfileCard.tsx',
  'export function ProfileCard() {',
  '  return <div className="rounded-xl bg-gradient-to-r from-teal-500 p-4" />;',
  '}',
  '```',
  '```ts file=../../outside.ts',
  'export const evil = true;',
  '```',
].join('\n');

describe('mm ui mockup', () => {
  it('stores the mockup image with provenance and the code in a scratch folder only', async () => {
    fake = await startGeminiFake({ 'gemini-3.1-pro-preview': { kind: 'image', text: MOCKUP_REPLY } });
    const dir = project(CREATIVE_ON);
    const r = await mmAsync(
      ['ui', 'mockup', '--describe', 'card with gradient header', '--name', 'profile-card', '--json'],
      { cwd: dir, env: env(fake) },
    );
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.image.asset).toBe(`assets/ai-gen/${today()}/gemini-3.1-pro/profile-card.png`);
    expect(out.image.meta.task).toBe('ui_mockup');
    expect(out.scratch).toMatch(/^\.claude\/mm\/scratch\/mockup-/);
    expect(out.files).toEqual([`${out.scratch}/components/ProfileCard.tsx`]);
    expect(out.refused).toEqual([{ path: '../../outside.ts', reason: 'contains ".."' }]);
    expect(readFileSync(join(dir, out.files[0]), 'utf8')).toMatch(/bg-gradient-to-r/);
    expect(existsSync(join(dir, 'components'))).toBe(false);
    expect(existsSync(join(dir, '..', 'outside.ts'))).toBe(false);
    expect(fake.bodies[0]!.body.generationConfig.responseModalities).toEqual(['TEXT', 'IMAGE']);
    expect((await mmIn(['assets', 'verify'], { cwd: dir })).code).toBe(0);
  });

  it('with store_prompts off, the description is kept neither in a prompt file nor in the meta record', async () => {
    fake = await startGeminiFake({ 'gemini-3.1-pro-preview': { kind: 'image', text: MOCKUP_REPLY } });
    const dir = project(`${CREATIVE_ON}\n[asset_pipeline]\nstore_prompts = false\n`);
    const r = await mmIn(['ui', 'mockup', '--describe', 'card for the secret project', '--name', 'card', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    const folder = join(dir, 'assets', 'ai-gen', today(), 'gemini-3.1-pro');
    expect(readdirSync(folder).sort()).toEqual(['card.meta.json', 'card.png']);
    expect(readFileSync(join(folder, 'card.meta.json'), 'utf8')).not.toMatch(/secret project/);
  });
});

describe('mm prototype', () => {
  it('sends only the named files and writes files plus a patch to a scratch folder', async () => {
    const reply = [
      '```ts file=src/greet.ts',
      'export const greet = (n: string) => `Hello, ${n}!`;',
      '```',
      '```ts file=src/new-feature.ts',
      'export const feature = 1;',
      '```',
    ].join('\n');
    fake = await startGeminiFake({ 'gemini-3.1-pro-preview': { kind: 'text', text: reply } });
    const dir = project(CREATIVE_ON);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'greet.ts'), 'export const greet = (n: string) => `Hi ${n}`;\n');
    writeFileSync(join(dir, 'src', 'unrelated.ts'), 'export const secretSauce = 1;\n');
    const r = await mmAsync(['prototype', '--feature', 'friendlier greeting', '--file', 'src/greet.ts', '--json'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.files).toEqual([
      { path: 'src/greet.ts', status: 'modified' },
      { path: 'src/new-feature.ts', status: 'new' },
    ]);
    const sent = fake.bodies[0]!.body.contents[0].parts[0].text as string;
    expect(sent).toContain('friendlier greeting');
    expect(sent).toContain('--- src/greet.ts ---');
    expect(sent).not.toContain('secretSauce');
    expect(readFileSync(join(dir, 'src', 'greet.ts'), 'utf8')).toContain('Hi '); // project untouched
    const patch = readFileSync(join(dir, out.patch), 'utf8');
    expect(patch).toContain('--- a/src/greet.ts');
    expect(patch).toContain('+++ b/src/greet.ts');
    expect(patch).toContain('+++ b/src/new-feature.ts');
    expect(patch).not.toContain('.claude/mm/scratch');
  });

  it('refuses files outside the project', async () => {
    fake = await startGeminiFake({ '*': { kind: 'text', text: '' } });
    const dir = project(CREATIVE_ON);
    const r = await mmIn(['prototype', '--feature', 'x', '--file', '../../etc/passwd'], {
      cwd: dir,
      env: env(fake),
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/outside the project/);
    expect(fake.requests).toHaveLength(0);
  });
});
