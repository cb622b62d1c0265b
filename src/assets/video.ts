/**
 * `mm video generate`: create (or remix) a Sora job, poll it with progress until it
 * completes, fails or runs out of time, download the video and store it with provenance.
 */
import type { Config } from '../config/schema.ts';
import { route } from '../policy/route.ts';
import type { Registry } from '../registry/registry.ts';
import { MmError } from '../util/errors.ts';
import { estimateCost } from './cost.ts';
import { checkAssetPipeline } from './layout.ts';
import { extensionFor } from './mime.ts';
import { statusOf, storePaid, type AssetServices } from './services.ts';
import { storeAsset, type StoredAsset } from './store.ts';
import type { VideoClient, VideoJob } from './video-client.ts';

const SORA_WATERMARK = 'OpenAI documents a visible moving watermark and C2PA metadata on Sora videos';

export interface VideoRequest {
  prompt: string;
  stem: string;
  seconds?: string;
  size?: string;
  /** Remix this earlier video instead of starting fresh. */
  remixOf?: string;
  /** Wait for (and store) a job created earlier, e.g. one that outlived --timeout. */
  resume?: string;
  model?: string;
  pollIntervalMs: number;
  timeoutMs: number;
}

export interface VideoDeps {
  projectRoot: string;
  config: Config;
  registry: Registry;
  client: VideoClient;
  services: AssetServices;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export async function generateVideo(
  req: VideoRequest,
  deps: VideoDeps,
): Promise<{ stored: StoredAsset; job: VideoJob }> {
  const decision = route({ category: 'video', with: req.model }, deps.config, deps.registry);
  const entry = deps.registry.get(decision.model);
  if (!entry.capabilities.includes('video')) {
    throw new MmError(req.model ? 'usage' : 'unavailable', `${entry.id} cannot make video`, {
      details: decision.reasons,
      hint: 'set sora_enabled = true in [models] of .claude/config/multi-model.toml',
    });
  }
  checkAssetPipeline(deps.projectRoot, deps.config.asset_pipeline, entry.id);
  const guarded = deps.services.guardPrompt(req.prompt);
  const started = Date.now();
  const wire = entry.wire_model ?? entry.id;
  const fail = (error: MmError, id: string | null): never => {
    deps.services.recordUsage({
      ts: new Date().toISOString(),
      task: 'video_generation',
      provider: entry.integration,
      model: entry.id,
      status: statusOf(error),
      latency_ms: Date.now() - started,
      cost_usd: null,
      request_id: id,
      asset: null,
      error: error.message,
    });
    throw error;
  };
  // Resuming polls a job already paid for; a new or remixed video is a paid call.
  if (!req.resume)
    deps.services.checkBudget(entry, estimateCost(entry, { seconds: Number(req.seconds ?? 4) }), guarded.text);
  let job: VideoJob;
  try {
    if (req.resume) job = await deps.client.retrieve(req.resume);
    else if (req.remixOf) job = await deps.client.remix(req.remixOf, guarded.text);
    else job = await deps.client.create({ model: wire, prompt: guarded.text, seconds: req.seconds, size: req.size });
  } catch (e) {
    return fail(e as MmError, null);
  }
  deps.progress(`sora: job ${job.id} ${job.status}`);
  job = await pollUntilDone(job, req, deps).catch((e: MmError) => fail(e, job.id));
  if (job.status === 'failed') {
    return fail(
      new MmError('failed', `Sora job ${job.id} failed${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}`),
      job.id,
    );
  }
  let content: Awaited<ReturnType<VideoClient['download']>>;
  try {
    content = await deps.client.download(job.id);
  } catch (e) {
    return fail(e as MmError, job.id);
  }
  const seconds = Number(job.seconds ?? req.seconds ?? 4);
  const cost = estimateCost(entry, { seconds });
  const stored = storePaid(
    () =>
      storeAsset({
        projectRoot: deps.projectRoot,
        pipeline: deps.config.asset_pipeline,
        model: entry.id,
        stem: req.stem,
        extension: extensionFor(content.mimeType, '.mp4'),
        bytes: content.bytes,
        prompt: req.resume && !req.prompt ? (job.prompt ?? '') : guarded.text,
        meta: {
          source: 'generated',
          provider: entry.vendor.toLowerCase(),
          wire_model: job.model ?? wire,
          task: req.remixOf || job.remixed_from_video_id ? 'video_remix' : 'video_generation',
          parameters: {
            seconds: job.seconds ?? req.seconds ?? null,
            size: job.size ?? req.size ?? null,
            video_id: job.id,
            remix_of: req.remixOf ?? job.remixed_from_video_id ?? null,
          },
          seed: null, // the videos API takes no seed
          mime_type: content.mimeType ?? 'video/mp4',
          watermark: { reported: false, provider_policy: SORA_WATERMARK, detail: null },
          request_id: content.requestId ?? job.id,
          estimated_cost_usd: cost,
          fallback: null, // Sora 2 is the only video model (design §3.3)
          withheld: guarded.withheld,
        },
      }),
    (error) =>
      deps.services.recordUsage({
        ts: new Date().toISOString(),
        task: req.remixOf || job.remixed_from_video_id ? 'video_remix' : 'video_generation',
        provider: entry.integration,
        model: entry.id,
        status: 'failed',
        latency_ms: Date.now() - started,
        cost_usd: cost,
        request_id: job.id,
        asset: null,
        error,
      }),
  );
  deps.services.recordUsage({
    ts: new Date().toISOString(),
    task: stored.meta.task,
    provider: entry.integration,
    model: entry.id,
    status: 'ok',
    latency_ms: Date.now() - started,
    cost_usd: cost,
    request_id: job.id,
    asset: stored.relativePath,
  });
  return { stored, job };
}

async function pollUntilDone(first: VideoJob, req: VideoRequest, deps: VideoDeps): Promise<VideoJob> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + req.timeoutMs;
  let job = first;
  let last = `${job.status} ${job.progress ?? 0}`;
  while (job.status === 'queued' || job.status === 'in_progress') {
    if (Date.now() >= deadline) {
      throw new MmError(
        'timeout',
        `Sora job ${job.id} still ${job.status} (${job.progress ?? 0}%) after ${Math.round(req.timeoutMs / 1000)} s`,
        {
          hint: `it may still finish: mm video generate --resume ${job.id} --name … waits again without paying twice`,
        },
      );
    }
    await sleep(Math.min(req.pollIntervalMs, Math.max(0, deadline - Date.now())));
    job = await deps.client.retrieve(job.id);
    const now = `${job.status} ${job.progress ?? 0}`;
    if (now !== last) deps.progress(`sora: ${job.id} ${job.status} ${job.progress ?? 0}%`);
    last = now;
  }
  return job;
}
