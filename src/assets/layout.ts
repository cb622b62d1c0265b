/**
 * Where an asset goes: `[asset_pipeline] output_dir` + `structure`, e.g.
 * assets/ai-gen/2026-02-25/nano-banana-pro/hero.png, with its sidecars beside it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { Config } from '../config/schema.ts';
import { MmError } from '../util/errors.ts';
import { modelFolder } from './names.ts';

export type AssetPipeline = Config['asset_pipeline'];

export const PROMPT_SUFFIX = '.prompt.txt';
export const META_SUFFIX = '.meta.json';

/** The asset store's root folder inside the project. */
export function storeRoot(projectRoot: string, pipeline: AssetPipeline): string {
  const dir = resolve(projectRoot, pipeline.output_dir);
  if (!isInside(projectRoot, dir)) {
    throw new MmError(
      'config',
      `[asset_pipeline] output_dir "${pipeline.output_dir}" is outside the project (${projectRoot})`,
    );
  }
  return dir;
}

/** The folder an asset named `filename` made by `model` on `date` goes into. */
export function assetFolder(projectRoot: string, pipeline: AssetPipeline, opts: { model: string; date: Date }): string {
  if (!pipeline.structure.endsWith('{filename}')) {
    throw new MmError('config', `[asset_pipeline] structure "${pipeline.structure}" must end with {filename}`);
  }
  const folders = pipeline.structure
    .slice(0, -'{filename}'.length)
    .replaceAll('{date}', opts.date.toISOString().slice(0, 10))
    .replaceAll('{model}', modelFolder(opts.model));
  const root = storeRoot(projectRoot, pipeline);
  const dir = normalize(join(root, folders));
  if (!isInside(root, dir))
    throw new MmError('config', `[asset_pipeline] structure "${pipeline.structure}" leaves output_dir`);
  // A symlinked folder on the way (say the date folder → /tmp/elsewhere) would write outside the project.
  const existing = deepestExisting(dir);
  const realProject = realpathSync(projectRoot);
  const realExisting = realpathSync(existing);
  if (!isInside(realProject, realExisting))
    throw new MmError(
      'input',
      `${relative(projectRoot, existing) || existing} is a link to ${realExisting}, outside the project: assets are not written through it`,
      { hint: 'remove the link, or point [asset_pipeline] output_dir elsewhere inside the project' },
    );
  return dir;
}

function deepestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/**
 * Throws the config error assetFolder would, before a paid call: a bad output_dir or
 * structure must not surface only after the image or video was bought.
 */
export function checkAssetPipeline(projectRoot: string, pipeline: AssetPipeline, model: string): void {
  assetFolder(projectRoot, pipeline, { model, date: new Date() });
}

/** Sidecar paths for an asset at `dir/stem.ext`: `{stem}.prompt.txt`, `{stem}.meta.json`. */
export function sidecarsOf(dir: string, stem: string): { prompt: string; meta: string } {
  return { prompt: join(dir, `${stem}${PROMPT_SUFFIX}`), meta: join(dir, `${stem}${META_SUFFIX}`) };
}

/** The stem of an asset file name: everything before the last extension. */
export function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

export function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
