import { recordAsset } from '../../assets/record.ts';
import { listAssets, verifyAssets } from '../../assets/scan.ts';
import { projectRoot } from '../../config/locate.ts';
import { MmError } from '../../util/errors.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';
import { assetContext, readTextFile, requiredString } from './asset-context.ts';

export const runAssetsRecord: Handler = async (args, ctx) => {
  const { flags } = args;
  const modelName = requiredString(args, 'assets record', 'model');
  if ((flags.prompt === undefined) === (flags['prompt-file'] === undefined)) {
    throw new MmError(
      'usage',
      'mm assets record: give the prompt with --prompt-file FILE (or --prompt TEXT), exactly one',
    );
  }
  const prompt = flags['prompt-file']
    ? readTextFile(ctx.cwd, flags['prompt-file'] as string, 'prompt-file')
    : (flags.prompt as string);
  const a = await assetContext(ctx);
  const model = a.registry.get(modelName, '--model');
  const out = recordAsset(
    { file: args.positionals[0]!, model, prompt, name: flags.name as string | undefined, cwd: ctx.cwd },
    a.projectRoot,
    a.config,
  );
  if (ctx.json)
    printJson(ctx, {
      path: out.path,
      copied: out.copied,
      prompt_file: out.promptPath,
      meta_file: out.metaPath,
      meta: out.meta,
    });
  else {
    ctx.stdout(
      `${out.copied ? 'copied to' : 'recorded'} ${out.path} (${model.id}, sha256 ${out.meta.sha256.slice(0, 12)}…)`,
    );
    ctx.stdout(
      out.promptPath ? `  prompt: ${out.promptPath}` : '  prompt: not recorded (asset_pipeline.store_prompts is off)',
    );
    ctx.stdout(
      out.metaPath
        ? `  metadata: ${out.metaPath}`
        : '  metadata: not recorded (asset_pipeline.store_metadata is off; `mm assets verify` cannot check its hash)',
    );
  }
  return 0;
};

export const runAssetsVerify: Handler = async (_args, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  const { checked, assets, problems, staleTemps } = verifyAssets(root, config.asset_pipeline);
  const unchecked = assets.filter((a) => a.hash === 'unchecked');
  const matched = assets.filter((a) => a.hash === 'match').length;
  if (ctx.json)
    printJson(ctx, {
      ok: problems.length === 0,
      checked,
      hashes_matched: matched,
      hashes_unchecked: unchecked.length,
      assets,
      problems,
      stale_temps: staleTemps,
    });
  else {
    for (const p of problems) ctx.stdout(`✗ ${p.path}: ${p.kind.replace(/_/g, ' ')}: ${p.detail}`);
    // Not problems when config turned the sidecar off, but never reported as verified.
    for (const a of unchecked.filter((u) => u.metadata === 'off')) {
      ctx.stdout(
        `? ${a.path}: hash not checked: no .meta.json (asset_pipeline.store_metadata is off); prompt ${a.prompt === 'off' ? 'not stored (store_prompts is off)' : a.prompt}`,
      );
    }
    if (staleTemps.length)
      ctx.stdout(
        `note: ${staleTemps.length} temp file${staleTemps.length === 1 ? '' : 's'} left by interrupted writes (safe to delete): ${staleTemps.join(', ')}`,
      );
    const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    const hashes = `${matched} hash${matched === 1 ? '' : 'es'} match${unchecked.length ? `, ${unchecked.length} not checked (no usable metadata record)` : ''}`;
    ctx.stdout(
      problems.length
        ? `\n${n(problems.length, 'problem')} in ${n(checked, 'asset')}; ${hashes}.`
        : `${n(checked, 'asset')}: required sidecars present; ${hashes}.`,
    );
  }
  return problems.length ? 1 : 0;
};

export const runAssetsList: Handler = async (_args, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  const { assets } = listAssets(root, config.asset_pipeline);
  if (ctx.json) {
    printJson(ctx, {
      assets: assets.map((a) => ({
        path: a.path,
        prompt_file: a.prompt,
        meta: a.meta,
        ...(a.metaError ? { meta_error: a.metaError } : {}),
      })),
    });
    return 0;
  }
  if (assets.length === 0) ctx.stdout(`no assets under ${config.asset_pipeline.output_dir}`);
  for (const a of assets) {
    const m = a.meta;
    ctx.stdout(
      m
        ? `${a.path}  ${m.model}  ${m.created_at.slice(0, 16).replace('T', ' ')}${m.fallback ? `  (fallback from ${m.fallback.from})` : ''}`
        : `${a.path}  (no provenance record)`,
    );
  }
  return 0;
};
