import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createGeminiClient } from '../../assets/gemini-client.ts';
import {
  checkImageConsent,
  generateImage,
  imageModelChain,
  type ImageJob,
  type InputImage,
} from '../../assets/image.ts';
import { mimeForPath } from '../../assets/mime.ts';
import { assetStem } from '../../assets/names.ts';
import type { Resolution } from '../../policy/route.ts';
import { MmError } from '../../util/errors.ts';
import { batchJobs, generateImages, parseBatch } from '../../assets/batch.ts';
import { exitCodeFor } from '../exit-codes.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { assetContext, formatCost, promptFrom, readTextFile, requiredString, timeoutMs } from './asset-context.ts';

const COMMAND = 'image generate';

export const runImageGenerate: Handler = async (args, ctx) => {
  const { flags } = args;
  const base: Omit<ImageJob, 'prompt' | 'stem'> = {
    resolution: flags.resolution as Resolution | undefined,
    aspectRatio: flags['aspect-ratio'] as string | undefined,
    inputImage: flags['input-image'] ? readInputImage(ctx.cwd, flags['input-image'] as string) : undefined,
    seed: flags.seed as number | undefined,
    model: flags.model as string | undefined,
  };
  const stem = assetStem(requiredString(args, COMMAND, 'name'));
  if (flags.batch && (flags.prompt !== undefined || flags['prompt-file'] !== undefined))
    throw new MmError('usage', 'mm image generate: --batch replaces --prompt/--prompt-file');
  const batchFile = flags.batch as string | undefined;
  const jobs: ImageJob[] = batchFile
    ? batchJobs(parseBatch(readTextFile(ctx.cwd, batchFile, 'batch'), batchFile), batchFile, stem, base)
    : [{ ...base, prompt: promptFrom(args, ctx, COMMAND), stem }];

  const a = await assetContext(ctx);
  // Asked once, before any call: a batch must not fail prompt by prompt for want of a --yes.
  checkImageConsent(base, imageModelChain(base, a.config, a.registry), a.config, {
    preferenceConfigured: a.raw?.models?.defaults?.image_generation !== undefined,
    confirmed: flags.yes === true,
  });
  const gemini = createGeminiClient({
    env: ctx.env,
    baseUrl: a.config.asset_pipeline.gemini_base_url,
    timeoutMs: timeoutMs(args, 300),
  });
  let worst = 0;
  const results = await generateImages(
    jobs,
    (job) => generateImage(job, { ...a, gemini }),
    (r) => {
      if ('error' in r) {
        worst ||= exitCodeFor(r.error.kind);
        return ctx.stderr(`mm: error: ${r.job.stem}: ${r.error.message}`);
      }
      const { stored } = r.outcome;
      const m = stored.meta;
      for (const w of m.withheld ?? []) ctx.stderr(`mm: warning: secrets guard ${w} (before sending)`);
      if (ctx.json) return;
      ctx.stdout(
        `stored ${stored.relativePath} (${m.model}${r.job.resolution ? `, ${r.job.resolution}` : ''}, ${formatCost(m.estimated_cost_usd)})`,
      );
      if (m.fallback)
        ctx.stdout(
          `  fallback: ${m.fallback.failures.map((f) => `${f.model} failed (${f.error})`).join('; ')} → ${m.model}`,
        );
    },
  );
  const shown = results.map((r) =>
    'error' in r
      ? { ok: false, name: r.job.stem, error: { kind: r.error.kind, message: r.error.message } }
      : {
          ok: true,
          asset: r.outcome.stored.relativePath,
          meta_file: r.outcome.stored.metaPath,
          prompt_file: r.outcome.stored.promptPath,
          meta: r.outcome.stored.meta,
          text: r.outcome.text,
        },
  );
  if (ctx.json) printJson(ctx, jobs.length === 1 && !batchFile ? shown[0] : { results: shown });
  return worst;
};
function readInputImage(cwd: string, file: string): InputImage {
  const mimeType = mimeForPath(file);
  if (!mimeType?.startsWith('image/') || mimeType === 'image/svg+xml')
    throw new MmError('input', `--input-image ${file}: expected a PNG, JPEG, WebP or GIF file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(cwd, file));
  } catch {
    throw new MmError('input', `--input-image ${file}: no such file`);
  }
  return { file, mimeType, bytes };
}
