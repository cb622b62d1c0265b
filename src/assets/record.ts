/**
 * `mm assets record`: provenance for an asset made elsewhere (an SVG Claude wrote, an
 * image from another tool). A file outside the store is copied in the usual layout; a
 * file already in the store gets its sidecars beside it (never replacing existing ones).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { writeFileNoClobber } from '../util/atomic-write.ts';
import { MmError } from '../util/errors.ts';
import { isInside, sidecarsOf, stemOf, storeRoot } from './layout.ts';
import { META_SCHEMA_VERSION, type AssetMeta } from './meta.ts';
import { mimeForPath } from './mime.ts';
import { assetStem } from './names.ts';
import { sha256Hex, storeAsset } from './store.ts';

export interface RecordRequest {
  file: string;
  model: RegistryEntry;
  prompt: string;
  /** Store under this name instead of the file's own. */
  name?: string;
  cwd: string;
}

export interface RecordOutcome {
  path: string;
  copied: boolean;
  /** The sidecars written: null where config turns that sidecar off. */
  promptPath: string | null;
  metaPath: string | null;
  meta: AssetMeta;
}

export function recordAsset(req: RecordRequest, projectRoot: string, config: Config): RecordOutcome {
  const abs = resolve(req.cwd, req.file);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new MmError('input', `${req.file}: no such file`);
  const pipeline = config.asset_pipeline;
  // With no sidecar to write, "recording" would only copy the file: that is not provenance.
  if (!pipeline.store_prompts && !pipeline.store_metadata) {
    throw new MmError(
      'config',
      'asset_pipeline.store_prompts and store_metadata are both off: there is no sidecar to record provenance in; nothing was written',
      {
        hint: 'turn on store_metadata (or store_prompts) in [asset_pipeline]',
      },
    );
  }
  const bytes = readFileSync(abs);
  const meta = {
    source: 'recorded' as const,
    provider: req.model.vendor.toLowerCase(),
    wire_model: req.model.wire_model ?? null,
    task: 'recorded',
    parameters: { original_path: req.file },
    seed: null,
    mime_type: mimeForPath(abs),
    watermark: { reported: false, provider_policy: null, detail: null },
    request_id: null,
    estimated_cost_usd: null,
    fallback: null,
    withheld: [],
  };
  if (!isInside(storeRoot(projectRoot, pipeline), abs)) {
    const stored = storeAsset({
      projectRoot,
      pipeline,
      model: req.model.id,
      stem: assetStem(req.name ?? basename(abs, extname(abs)), req.name ? '--name' : 'file name'),
      extension: extname(abs),
      bytes,
      prompt: req.prompt,
      meta,
    });
    return {
      path: stored.path,
      copied: true,
      promptPath: stored.promptPath,
      metaPath: stored.metaPath,
      meta: stored.meta,
    };
  }
  // Already in the store: only the sidecars are new; the asset stays where it is.
  if (req.name) throw new MmError('usage', '--name applies only to files outside the asset store (they are copied in)');
  const stem = stemOf(basename(abs));
  const sidecars = sidecarsOf(dirname(abs), stem);
  const full: AssetMeta = {
    schema_version: META_SCHEMA_VERSION,
    file: basename(abs),
    model: req.model.id,
    ...meta,
    created_at: new Date().toISOString(),
    sha256: sha256Hex(bytes),
    bytes: bytes.length,
    prompt_file: pipeline.store_prompts ? basename(sidecars.prompt) : null,
  };
  const taken = [pipeline.store_prompts && sidecars.prompt, pipeline.store_metadata && sidecars.meta].filter(
    (p): p is string => !!p && existsSync(p),
  );
  if (taken.length)
    throw new MmError(
      'input',
      `${req.file} already has provenance (${taken.map((t) => basename(t)).join(', ')}); not overwritten`,
    );
  // Prompt first, meta last: the meta file is what marks the asset as recorded.
  if (pipeline.store_prompts && !writeFileNoClobber(sidecars.prompt, req.prompt))
    throw new MmError('input', `${sidecars.prompt} appeared meanwhile; not overwritten`);
  if (pipeline.store_metadata && !writeFileNoClobber(sidecars.meta, `${JSON.stringify(full, null, 2)}\n`)) {
    throw new MmError('input', `${sidecars.meta} appeared meanwhile; not overwritten`);
  }
  return {
    path: abs,
    copied: false,
    promptPath: pipeline.store_prompts ? sidecars.prompt : null,
    metaPath: pipeline.store_metadata ? sidecars.meta : null,
    meta: full,
  };
}
