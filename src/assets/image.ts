/**
 * `mm image generate`: one image from the configured image model, falling back along the
 * routing chain when it fails (design §4.4 Pattern B), stored with provenance. The model
 * choice is route()'s, so `mm route --category image` and this command always agree.
 */
import type { Config } from '../config/schema.ts';
import { route, type Resolution } from '../policy/route.ts';
import type { RegistryEntry } from '../registry/models.ts';
import type { Registry } from '../registry/registry.ts';
import { MmError } from '../util/errors.ts';
import { estimateCost } from './cost.ts';
import type { GeminiClient, GeminiPart, GeminiReply } from './gemini-client.ts';
import type { Fallback } from './meta.ts';
import { checkAssetPipeline } from './layout.ts';
import { extensionFor } from './mime.ts';
import { statusOf, storePaid, type AssetServices, type AssetUsageEntry } from './services.ts';
import { sha256Hex, storeAsset, type StoredAsset } from './store.ts';

const GOOGLE_IMAGE_WATERMARK =
  'SynthID: Google documents an invisible SynthID watermark on every Gemini-generated image';

export interface InputImage {
  /** As the user gave it, for the record. */
  file: string;
  mimeType: string;
  bytes: Buffer;
}

export interface ImageJob {
  prompt: string;
  stem: string;
  resolution?: Resolution;
  aspectRatio?: string;
  inputImage?: InputImage;
  seed?: number;
  /** Explicit --model: honoured as asked, without fallback (Pattern C). */
  model?: string;
}

/** Pattern B's "if the user hasn't configured a preference, ask first". */
export interface ImageConsent {
  /** models.defaults.image_generation is set in the config file. */
  preferenceConfigured: boolean;
  /** --yes: the user confirmed the model choice. */
  confirmed: boolean;
}

export interface ImageDeps {
  projectRoot: string;
  config: Config;
  registry: Registry;
  gemini: GeminiClient;
  services: AssetServices;
}

export interface ImageOutcome {
  stored: StoredAsset;
  /** The model's text reply alongside the image, if any. */
  text: string;
}

/** The models to try, in order: route()'s choice, then its image-capable fallbacks. */
export function imageModelChain(
  job: Pick<ImageJob, 'model' | 'resolution' | 'inputImage'>,
  config: Config,
  registry: Registry,
): RegistryEntry[] {
  const decision = route({ category: 'image', resolution: job.resolution, with: job.model }, config, registry);
  const needed = job.inputImage ? 'image-edit' : 'image';
  const chain = [decision.model, ...decision.fallbacks]
    .map((id) => registry.get(id))
    .filter((e) => e.capabilities.includes(needed) && isGeminiApiModel(e));
  if (job.model && chain[0]?.id !== decision.model) {
    throw new MmError(
      'usage',
      `--model ${job.model}: ${decision.model} cannot ${job.inputImage ? 'edit' : 'generate'} images through the Gemini API`,
      {
        hint: 'image models: nano-banana-pro, gemini-3.1-pro (see mm models)',
      },
    );
  }
  if (chain.length === 0) {
    throw new MmError(
      'unavailable',
      'no image model is enabled: Claude can describe an image or write SVG, not render one',
      {
        details: decision.reasons,
        hint: 'set nano_banana_enabled = true (or gemini_enabled = true) in [models] of .claude/config/multi-model.toml',
      },
    );
  }
  return chain;
}

function isGeminiApiModel(entry: RegistryEntry): boolean {
  return entry.integration === 'nano-banana' || entry.integration === 'gemini';
}

/** Throws needs_confirmation when Pattern B says to ask before picking a model. */
export function checkImageConsent(
  job: Pick<ImageJob, 'model'>,
  chain: RegistryEntry[],
  config: Config,
  consent: ImageConsent,
): void {
  if (job.model || consent.preferenceConfigured || consent.confirmed) return;
  if (config.checkpoints.creative_model_selection !== 'ask') return;
  throw new MmError(
    'needs_confirmation',
    `no image model preference is configured: would use ${chain.map((e) => e.id).join(', then ')}`,
    {
      hint: 'confirm with --yes, choose with --model, or set models.defaults.image_generation in .claude/config/multi-model.toml',
    },
  );
}

export async function generateImage(job: ImageJob, deps: ImageDeps): Promise<ImageOutcome> {
  const chain = imageModelChain(job, deps.config, deps.registry);
  checkAssetPipeline(deps.projectRoot, deps.config.asset_pipeline, chain[0]!.id);
  const guarded = deps.services.guardPrompt(job.prompt);
  const parts: GeminiPart[] = [{ text: guarded.text }];
  if (job.inputImage)
    parts.push({ inlineData: { mimeType: job.inputImage.mimeType, data: job.inputImage.bytes.toString('base64') } });
  const failures: Fallback['failures'] = [];
  const task = job.inputImage ? 'image_edit' : 'image_generation';
  for (const entry of chain) {
    const started = Date.now();
    const wire = entry.wire_model ?? entry.id;
    let reply: GeminiReply;
    let image: GeminiReply['images'][number];
    // A budget refusal stops the chain: a cheaper fallback is the user's call, not ours.
    deps.services.checkBudget(entry, estimateCost(entry, { resolution: job.resolution, images: 1 }), guarded.text);
    const fallbackFrom = failures.at(-1)?.model;
    try {
      reply = await deps.gemini.generate({
        model: wire,
        parts,
        modalities: ['TEXT', 'IMAGE'],
        imageSize: job.resolution,
        aspectRatio: job.aspectRatio,
        seed: job.seed,
      });
      const first = reply.images[0];
      if (!first)
        throw new MmError(
          'invalid_output',
          `${entry.id} returned no image${reply.finishReason ? ` (finish reason ${reply.finishReason})` : ''}${reply.text ? `: ${reply.text.slice(0, 200)}` : ''}`,
        );
      image = first;
    } catch (e) {
      const err = e instanceof MmError ? e : new MmError('failed', (e as Error).message);
      deps.services.recordUsage(usage(entry, statusOf(err), started, { error: err.message, task, fallbackFrom }));
      failures.push({ model: entry.id, error: err.message });
      if (entry !== chain[chain.length - 1]) continue;
      throw new MmError(
        err.kind,
        chain.length > 1
          ? `every image model failed: ${failures.map((f) => `${f.model}: ${f.error}`).join('; ')}`
          : err.message,
      );
    }
    // Stored outside the try: a local write error must not buy a second image elsewhere.
    const cost = estimateCost(entry, {
      resolution: job.resolution,
      images: 1,
      inputTokens: reply.inputTokens,
      outputTokens: reply.outputTokens,
    });
    const stored = storePaid(
      () =>
        storeGeminiImage({
          projectRoot: deps.projectRoot,
          pipeline: deps.config.asset_pipeline,
          entry,
          wire,
          reply,
          image,
          stem: job.stem,
          prompt: guarded.text,
          task,
          parameters: {
            resolution: job.resolution ?? null,
            aspect_ratio: job.aspectRatio ?? null,
            input_image: job.inputImage ? { file: job.inputImage.file, sha256: sha256Hex(job.inputImage.bytes) } : null,
          },
          seed: job.seed ?? null,
          cost,
          fallback: failures.length ? { from: chain[0]!.id, failures: [...failures] } : null,
          withheld: guarded.withheld,
        }),
      (error) =>
        deps.services.recordUsage(
          usage(entry, 'failed', started, {
            cost,
            requestId: reply.requestId,
            task,
            fallbackFrom,
            error,
            tokens: { input: reply.inputTokens, output: reply.outputTokens },
          }),
        ),
    );
    deps.services.recordUsage(
      usage(entry, 'ok', started, {
        cost,
        requestId: reply.requestId,
        asset: stored.relativePath,
        task,
        fallbackFrom,
        tokens: { input: reply.inputTokens, output: reply.outputTokens },
      }),
    );
    return { stored, text: reply.text };
  }
  throw new Error('unreachable: the image model chain is never empty');
}

function usage(
  entry: RegistryEntry,
  status: AssetUsageEntry['status'],
  started: number,
  o: {
    cost?: number | null;
    requestId?: string | null;
    asset?: string;
    error?: string;
    task: string;
    fallbackFrom?: string;
    tokens?: { input?: number; output?: number };
  },
): AssetUsageEntry {
  return {
    ts: new Date().toISOString(),
    task: o.task,
    provider: entry.integration,
    model: entry.id,
    status,
    latency_ms: Date.now() - started,
    cost_usd: o.cost ?? null,
    request_id: o.requestId ?? null,
    asset: o.asset ?? null,
    ...(o.tokens ? { tokens: o.tokens } : {}),
    ...(o.fallbackFrom ? { fallback_from: o.fallbackFrom } : {}),
    ...(o.error ? { error: o.error } : {}),
  };
}

/** Stores one image a Gemini-family model returned, with the provenance every image command records. */
export function storeGeminiImage(req: {
  projectRoot: string;
  pipeline: Config['asset_pipeline'];
  entry: RegistryEntry;
  wire: string;
  reply: GeminiReply;
  image: GeminiReply['images'][number];
  stem: string;
  prompt: string;
  task: string;
  parameters: Record<string, unknown>;
  seed: number | null;
  cost: number | null;
  fallback: Fallback | null;
  withheld: string[];
}): StoredAsset {
  return storeAsset({
    projectRoot: req.projectRoot,
    pipeline: req.pipeline,
    model: req.entry.id,
    stem: req.stem,
    extension: extensionFor(req.image.mimeType, '.png'),
    bytes: req.image.bytes,
    prompt: req.prompt,
    meta: {
      source: 'generated',
      provider: req.entry.vendor.toLowerCase(),
      wire_model: req.reply.modelVersion ?? req.wire,
      task: req.task,
      parameters: req.parameters,
      seed: req.seed,
      mime_type: req.image.mimeType,
      watermark: { reported: false, provider_policy: GOOGLE_IMAGE_WATERMARK, detail: null },
      request_id: req.reply.requestId,
      estimated_cost_usd: req.cost,
      fallback: req.fallback,
      withheld: req.withheld,
    },
  });
}
