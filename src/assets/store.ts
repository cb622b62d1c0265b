/**
 * The provenance store: puts an asset and its sidecars under the asset folder so that
 * a crash never leaves a partial file, nothing existing is ever overwritten (a taken
 * name gets -2, -3, …), and the asset itself is published last: an asset that is
 * visible always has its sidecars.
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync, unlinkSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { publishNoClobber, stageFile } from '../util/atomic-write.ts';
import { MmError } from '../util/errors.ts';
import { assetFolder, sidecarsOf, type AssetPipeline } from './layout.ts';
import { META_SCHEMA_VERSION, type AssetMeta } from './meta.ts';

export interface StoreRequest {
  projectRoot: string;
  pipeline: AssetPipeline;
  /** Registry id: names the folder and the meta record. */
  model: string;
  stem: string;
  /** With the dot, e.g. ".png". */
  extension: string;
  bytes: Uint8Array;
  prompt: string;
  /** Everything of the meta record that the store does not compute itself. */
  meta: Omit<AssetMeta, 'schema_version' | 'file' | 'sha256' | 'bytes' | 'prompt_file' | 'created_at' | 'model'> & {
    created_at?: string;
  };
  date?: Date;
  /** Test seam: called after each step, so tests can crash or fail between them. */
  onStep?: (step: StoreStep) => void;
}

export type StoreStep = 'staged' | 'sidecars-published' | 'asset-published';

export interface StoredAsset {
  path: string;
  /** Relative to the project root, with forward slashes. */
  relativePath: string;
  promptPath: string | null;
  metaPath: string | null;
  meta: AssetMeta;
}

const MAX_SUFFIX = 999;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function storeAsset(req: StoreRequest): StoredAsset {
  const date = req.date ?? new Date();
  const dir = assetFolder(req.projectRoot, req.pipeline, { model: req.model, date });
  const { pipeline } = req;
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const stem = n === 1 ? req.stem : `${req.stem}-${n}`;
    const file = `${stem}${req.extension}`;
    const sidecars = sidecarsOf(dir, stem);
    // Cheap pre-check so taken names are skipped without staging; link() still decides races.
    if ([join(dir, file), sidecars.prompt, sidecars.meta].some((p) => existsSync(p))) continue;
    const meta: AssetMeta = {
      schema_version: META_SCHEMA_VERSION,
      file,
      model: req.model,
      ...req.meta,
      seed: pipeline.store_seeds ? req.meta.seed : null,
      created_at: req.meta.created_at ?? date.toISOString(),
      sha256: sha256Hex(req.bytes),
      bytes: req.bytes.length,
      prompt_file: pipeline.store_prompts ? basename(sidecars.prompt) : null,
    };
    const planned: Array<{ path: string; data: string | Uint8Array }> = [];
    if (pipeline.store_prompts) planned.push({ path: sidecars.prompt, data: req.prompt });
    if (pipeline.store_metadata) planned.push({ path: sidecars.meta, data: `${JSON.stringify(meta, null, 2)}\n` });
    planned.push({ path: join(dir, file), data: req.bytes }); // last: the asset is the commit point
    if (publishAll(planned, req.onStep)) {
      const path = join(dir, file);
      return {
        path,
        relativePath: relative(req.projectRoot, path).split('\\').join('/'),
        promptPath: pipeline.store_prompts ? sidecars.prompt : null,
        metaPath: pipeline.store_metadata ? sidecars.meta : null,
        meta,
      };
    }
  }
  throw new MmError('input', `${req.stem}: names up to -${MAX_SUFFIX} are all taken in ${dir}`, {
    hint: 'choose another --name',
  });
}

/**
 * Stages every file, then publishes them in order without replacing anything. When a
 * name is taken, or anything fails, what this call published is removed again and the
 * temps are deleted: the folder is left as it was. Returns false when a name was taken.
 */
function publishAll(
  files: Array<{ path: string; data: string | Uint8Array }>,
  onStep?: (step: StoreStep) => void,
): boolean {
  const temps: string[] = [];
  const published: string[] = [];
  try {
    for (const f of files) temps.push(stageFile(f.path, f.data));
    onStep?.('staged');
    for (let i = 0; i < files.length; i++) {
      if (!publishNoClobber(temps[i]!, files[i]!.path)) {
        rollback(published);
        return false;
      }
      published.push(files[i]!.path);
      if (i === files.length - 2) onStep?.('sidecars-published');
    }
  } catch (e) {
    rollback(published);
    throw e;
  } finally {
    for (const t of temps) rmSync(t, { force: true });
  }
  onStep?.('asset-published');
  return true;
}

function rollback(published: string[]): void {
  for (const p of published.reverse()) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
}
