import { assetStem } from '../../assets/names.ts';
import { createVideoClient } from '../../assets/video-client.ts';
import { generateVideo } from '../../assets/video.ts';
import { MmError } from '../../util/errors.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { assetContext, formatCost, promptFrom, requiredString, timeoutMs } from './asset-context.ts';

const COMMAND = 'video generate';
/** Sora jobs take minutes; MM_VIDEO_POLL_MS shortens the wait between status checks (tests, fast fakes). */
const DEFAULT_POLL_MS = 5000;

export const runVideoGenerate: Handler = async (args, ctx) => {
  const { flags } = args;
  const stem = assetStem(requiredString(args, COMMAND, 'name'));
  // A resumed job already has its prompt (the API returns it); a new one needs one.
  const resume = flags.resume as string | undefined;
  if (resume && flags.remix) throw new MmError('usage', 'mm video generate: --resume and --remix do not go together');
  const prompt =
    resume && flags.prompt === undefined && flags['prompt-file'] === undefined ? '' : promptFrom(args, ctx, COMMAND);
  const a = await assetContext(ctx);
  const client = createVideoClient({
    env: ctx.env,
    baseUrl: a.config.asset_pipeline.openai_base_url,
    timeoutMs: 120_000,
  });
  const pollMs = Number(ctx.env.MM_VIDEO_POLL_MS) > 0 ? Number(ctx.env.MM_VIDEO_POLL_MS) : DEFAULT_POLL_MS;
  const { stored, job } = await generateVideo(
    {
      prompt,
      stem,
      seconds: flags.seconds as string | undefined,
      size: flags.size as string | undefined,
      remixOf: flags.remix as string | undefined,
      resume,
      model: flags.model as string | undefined,
      pollIntervalMs: pollMs,
      timeoutMs: timeoutMs(args, 900),
    },
    { ...a, client, progress: (line) => ctx.stderr(line) },
  );
  for (const w of stored.meta.withheld ?? []) ctx.stderr(`mm: warning: secrets guard ${w} (before sending)`);
  if (ctx.json)
    printJson(ctx, {
      asset: stored.relativePath,
      video_id: job.id,
      meta_file: stored.metaPath,
      prompt_file: stored.promptPath,
      meta: stored.meta,
    });
  else
    ctx.stdout(
      `stored ${stored.relativePath} (${stored.meta.model}, video ${job.id}, ${job.seconds} s, ${formatCost(stored.meta.estimated_cost_usd)})`,
    );
  return 0;
};
