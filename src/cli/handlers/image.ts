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
import { MmError, isMmError } from '../../util/errors.ts';
import { exitCodeFor } from '../exit-codes.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { assetContext, formatCost, promptFrom, readTextFile, requiredString, timeoutMs } from './asset-context.ts';

const COMMAND = 'image generate';
const BATCH_FATAL = new Set(['usage', 'config', 'needs_confirmation', 'auth', 'budget']);

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
  const jobs: ImageJob[] = flags.batch
    ? parseBatch(readTextFile(ctx.cwd, flags.batch as string, 'batch'), flags.batch as string).map((item, i) => ({
        ...base,
        prompt: item.prompt,
        stem: item.name ? assetStem(item.name, `--batch line ${item.line} name`) : `${stem}-${i + 1}`,
        resolution: item.resolution ?? base.resolution,
      }))
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
  const results: unknown[] = [];
  let worst = 0;
  for (const job of jobs) {
    try {
      const { stored, text } = await generateImage(job, { ...a, gemini });
      const m = stored.meta;
      for (const w of m.withheld ?? []) ctx.stderr(`mm: warning: secrets guard ${w} (before sending)`);
      results.push({
        ok: true,
        asset: stored.relativePath,
        meta_file: stored.metaPath,
        prompt_file: stored.promptPath,
        meta: m,
        text,
      });
      if (!ctx.json) {
        ctx.stdout(
          `stored ${stored.relativePath} (${m.model}${job.resolution ? `, ${job.resolution}` : ''}, ${formatCost(m.estimated_cost_usd)})`,
        );
        if (m.fallback)
          ctx.stdout(
            `  fallback: ${m.fallback.failures.map((f) => `${f.model} failed (${f.error})`).join('; ')} → ${m.model}`,
          );
      }
    } catch (e) {
      // One failed prompt of a batch does not cancel the rest (the exit code reports it);
      // a failure every prompt would share does.
      if (!isMmError(e) || jobs.length === 1 || BATCH_FATAL.has(e.kind)) throw e;
      worst ||= exitCodeFor(e.kind);
      results.push({ ok: false, name: job.stem, error: { kind: e.kind, message: e.message } });
      ctx.stderr(`mm: error: ${job.stem}: ${e.message}`);
    }
  }
  if (ctx.json) printJson(ctx, jobs.length === 1 && !flags.batch ? results[0] : { results });
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

interface BatchItem {
  line: number;
  prompt: string;
  name?: string;
  resolution?: Resolution;
}

/** One prompt per line, or JSONL objects with prompt (and optional name, resolution). Blank and # lines are skipped. */
export function parseBatch(text: string, file: string): BatchItem[] {
  const items: BatchItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (!line.startsWith('{')) return void items.push({ line: i + 1, prompt: line });
    let obj: { prompt?: unknown; name?: unknown; resolution?: unknown };
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new MmError('input', `${file}:${i + 1}: not valid JSON: ${(e as Error).message}`);
    }
    if (typeof obj.prompt !== 'string' || !obj.prompt.trim())
      throw new MmError('input', `${file}:${i + 1}: "prompt" must be a non-empty string`);
    if (obj.resolution !== undefined && !['1K', '2K', '4K'].includes(obj.resolution as string))
      throw new MmError('input', `${file}:${i + 1}: "resolution" must be 1K, 2K or 4K`);
    if (obj.name !== undefined && typeof obj.name !== 'string')
      throw new MmError('input', `${file}:${i + 1}: "name" must be a string`);
    items.push({
      line: i + 1,
      prompt: obj.prompt,
      name: obj.name as string | undefined,
      resolution: obj.resolution as Resolution | undefined,
    });
  });
  if (items.length === 0) throw new MmError('input', `${file}: no prompts in the batch file`);
  return items;
}
