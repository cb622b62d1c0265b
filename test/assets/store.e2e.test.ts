import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetStem } from '../../src/assets/names.ts';
import { listAssets, verifyAssets } from '../../src/assets/scan.ts';
import { sha256Hex, storeAsset, type StoreRequest } from '../../src/assets/store.ts';
import { MmError } from '../../src/util/errors.ts';
import { publishNoClobber, stageFile, writeFileNoClobber } from '../../src/util/atomic-write.ts';
import { tinyPng } from './fakes/png.ts';
import { cleanupProjects, project } from './helpers.ts';
import { bundleScript } from '../helpers/node-workers.ts';
import { tempDir } from '../helpers/repo.ts';

afterAll(cleanupProjects);

const PIPELINE = {
  output_dir: 'assets/ai-gen',
  structure: '{date}/{model}/{filename}',
  store_prompts: true,
  store_seeds: true,
  store_metadata: true,
};
const DATE = new Date('2026-02-25T12:00:00Z');
const FOLDER = join('assets', 'ai-gen', '2026-02-25', 'nano-banana-pro');

function request(root: string, over: Partial<StoreRequest> = {}): StoreRequest {
  return {
    projectRoot: root,
    pipeline: PIPELINE,
    model: 'nano-banana-pro',
    stem: 'hero',
    extension: '.png',
    bytes: tinyPng(),
    prompt: 'a hero',
    date: DATE,
    meta: {
      source: 'generated',
      provider: 'google',
      wire_model: 'gemini-3-pro-image-preview',
      task: 'image_generation',
      parameters: { resolution: '2K' },
      seed: 7,
      mime_type: 'image/png',
      watermark: { reported: false, provider_policy: 'SynthID', detail: null },
      request_id: 'r1',
      estimated_cost_usd: 0.134,
      fallback: null,
      withheld: [],
    },
    ...over,
  };
}

/** Every file under dir, hidden ones included, relative. */
function allFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? allFiles(join(dir, d.name), base) : [join(dir, d.name).slice(base.length + 1)],
  );
}

describe('provenance store', () => {
  it('writes asset, prompt and meta in the configured layout', () => {
    const root = project('');
    const stored = storeAsset(request(root));
    expect(stored.relativePath).toBe(`${FOLDER}/hero.png`);
    expect(allFiles(join(root, 'assets')).sort()).toEqual([
      'ai-gen/2026-02-25/nano-banana-pro/hero.meta.json',
      'ai-gen/2026-02-25/nano-banana-pro/hero.png',
      'ai-gen/2026-02-25/nano-banana-pro/hero.prompt.txt',
    ]);
    const meta = JSON.parse(readFileSync(join(root, FOLDER, 'hero.meta.json'), 'utf8'));
    expect(meta).toMatchObject({
      file: 'hero.png',
      seed: 7,
      sha256: sha256Hex(tinyPng()),
      prompt_file: 'hero.prompt.txt',
      created_at: DATE.toISOString(),
    });
  });

  it('honours store_prompts, store_seeds and store_metadata', () => {
    const root = project('');
    storeAsset(request(root, { pipeline: { ...PIPELINE, store_prompts: false, store_metadata: false } }));
    expect(readdirSync(join(root, FOLDER))).toEqual(['hero.png']);
    const withMeta = storeAsset(request(root, { stem: 'x', pipeline: { ...PIPELINE, store_seeds: false } }));
    expect(withMeta.meta.seed).toBeNull();
  });

  it('never overwrites: -2, -3, and a sidecar alone also claims the name', () => {
    const root = project('');
    expect(storeAsset(request(root)).path).toMatch(/hero\.png$/);
    expect(storeAsset(request(root)).path).toMatch(/hero-2\.png$/);
    writeFileSync(join(root, FOLDER, 'hero-3.prompt.txt'), 'someone else');
    expect(storeAsset(request(root)).path).toMatch(/hero-4\.png$/);
    expect(readFileSync(join(root, FOLDER, 'hero-3.prompt.txt'), 'utf8')).toBe('someone else');
    expect(existsSync(join(root, FOLDER, 'hero-3.png'))).toBe(false);
  });

  it('publishing never replaces a file that appeared after staging (link, not rename)', () => {
    const root = project('');
    const target = join(root, 'x.txt');
    const temp = stageFile(target, 'mine');
    writeFileSync(target, 'theirs'); // a concurrent writer wins the name
    expect(publishNoClobber(temp, target)).toBe(false);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
    expect(writeFileNoClobber(target, 'again')).toBe(false);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([temp.split('/').pop()]); // the caller still owns its temp
  });

  it('an injected failure mid-publish rolls back: no asset, no sidecar, no temp', () => {
    const root = project('');
    expect(() =>
      storeAsset(
        request(root, {
          onStep: (s) => {
            if (s === 'sidecars-published') throw new Error('disk full');
          },
        }),
      ),
    ).toThrow('disk full');
    expect(allFiles(join(root, 'assets'))).toEqual([]);
  });

  it('refuses names with separators or ".."', () => {
    for (const bad of ['../x', 'a/b', 'a\\b', '..', 'x..y', '', '.hidden', 'a.meta.json']) {
      expect(() => assetStem(bad), bad).toThrow(MmError);
    }
    expect(assetStem('hero.png')).toBe('hero');
    expect(assetStem('hero-illustration')).toBe('hero-illustration');
  });

  it('refuses an output_dir or structure that leaves the project', () => {
    const root = project('');
    expect(() => storeAsset(request(root, { pipeline: { ...PIPELINE, output_dir: '../elsewhere' } }))).toThrow(
      /outside the project/,
    );
    expect(() => storeAsset(request(root, { pipeline: { ...PIPELINE, structure: '../../{filename}' } }))).toThrow(
      /leaves output_dir/,
    );
  });
});

describe('a crash mid-write (SIGKILL in a child process)', () => {
  // Bundled once with esbuild and run by plain node: under `--import tsx` each child spent ~0.7 CPU-s starting.
  let child: string;
  beforeAll(async () => {
    child = await bundleScript(tempDir('mm-crash-child-'), 'crash-child.mjs', "import './test/assets/crash-child.ts';");
  });
  const crash = (root: string, step: string) =>
    spawnSync(process.execPath, [child, root, step], { encoding: 'utf8', timeout: 30_000 });

  it('after staging: no visible asset or sidecar; verify and list see nothing', () => {
    const root = project('');
    const r = crash(root, 'staged');
    expect(r.signal).toBe('SIGKILL');
    const visible = allFiles(join(root, 'assets')).filter((f) => !f.split('/').pop()!.startsWith('.'));
    expect(visible).toEqual([]);
    // The staged temps are complete but hidden, and ignored by the store readers.
    expect(allFiles(join(root, 'assets')).every((f) => f.endsWith('.tmp'))).toBe(true);
    expect(listAssets(root, PIPELINE).assets).toEqual([]);
    const verified = verifyAssets(root, PIPELINE);
    expect(verified.problems).toEqual([]);
    expect(verified.staleTemps).toHaveLength(3); // reported as a note, never as assets
  });

  it('between sidecars and asset: the asset is absent (never partial) and verify reports the orphaned sidecars', () => {
    const root = project('');
    const r = crash(root, 'sidecars-published');
    expect(r.signal).toBe('SIGKILL');
    expect(
      existsSync(join(root, FOLDER.replace('2026-02-25', new Date().toISOString().slice(0, 10)), 'hero.png')),
    ).toBe(false);
    const { problems } = verifyAssets(root, PIPELINE);
    expect(problems.map((p) => p.kind).sort()).toEqual(['orphan_sidecar', 'orphan_sidecar']);
  });
});

describe('verify', () => {
  it('passes on an intact store, then catches a tampered file, missing sidecars and broken metadata', () => {
    const root = project('');
    storeAsset(request(root));
    storeAsset(request(root, { stem: 'b' }));
    storeAsset(request(root, { stem: 'c' }));
    expect(verifyAssets(root, PIPELINE)).toMatchObject({ checked: 3, problems: [], staleTemps: [] });

    writeFileSync(join(root, FOLDER, 'hero.png'), Buffer.concat([tinyPng(), Buffer.from([0])]));
    writeFileSync(join(root, FOLDER, 'b.meta.json'), '{not json');
    writeFileSync(join(root, FOLDER, 'stray.png'), tinyPng());
    mkdirSync(join(root, 'assets', 'ai-gen', 'manual'), { recursive: true });
    writeFileSync(join(root, 'assets', 'ai-gen', 'manual', 'gone.meta.json'), '{}');
    const { problems } = verifyAssets(root, PIPELINE);
    const byPath = Object.fromEntries(problems.map((p) => [`${p.kind} ${p.path.split('/').pop()}`, p.detail]));
    expect(Object.keys(byPath).sort()).toEqual([
      'hash_mismatch hero.png',
      'invalid_metadata b.png',
      'missing_metadata stray.png',
      'missing_prompt stray.png',
      'orphan_sidecar gone.meta.json',
    ]);
  });
});
