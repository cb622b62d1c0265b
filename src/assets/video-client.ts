/**
 * Sora 2 through the openai SDK's videos API, behind a small interface so tests can
 * inject a fake and other commands never load the SDK.
 * Base URL: [asset_pipeline] openai_base_url, else the SDK's OPENAI_BASE_URL.
 */
import { MmError } from '../util/errors.ts';
import { toMmError } from './sdk-errors.ts';

export interface VideoJob {
  id: string;
  status: 'queued' | 'in_progress' | 'completed' | 'failed';
  progress: number;
  model: string;
  seconds: string;
  size: string;
  error: { code: string; message: string } | null;
  remixed_from_video_id: string | null;
  prompt?: string | null;
}

export interface VideoClient {
  create(params: { model: string; prompt: string; seconds?: string; size?: string }): Promise<VideoJob>;
  remix(videoId: string, prompt: string): Promise<VideoJob>;
  retrieve(videoId: string): Promise<VideoJob>;
  download(videoId: string): Promise<{ bytes: Buffer; mimeType: string | null; requestId: string | null }>;
}

export function createVideoClient(opts: { env: NodeJS.ProcessEnv; baseUrl?: string; timeoutMs: number }): VideoClient {
  const apiKey = opts.env.OPENAI_API_KEY;
  if (!apiKey)
    throw new MmError('unavailable', 'no OpenAI API key: set OPENAI_API_KEY for Sora 2', {
      hint: '`mm doctor` shows what is missing',
    });
  const baseURL = opts.baseUrl ?? opts.env.OPENAI_BASE_URL;
  let client: Promise<import('openai').OpenAI> | undefined;
  // maxRetries 1: polling already repeats; a long SDK backoff would hide a dead endpoint.
  const sdk = () =>
    (client ??= import('openai').then(
      ({ OpenAI }) => new OpenAI({ apiKey, timeout: opts.timeoutMs, maxRetries: 1, ...(baseURL ? { baseURL } : {}) }),
    ));
  const call = async <T>(what: string, fn: (c: import('openai').OpenAI) => Promise<T>, model?: string): Promise<T> => {
    const c = await sdk();
    try {
      return await fn(c);
    } catch (e) {
      throw toMmError(e, `Sora ${what}`, model ? { wireModel: model, at: 'OpenAI' } : undefined);
    }
  };
  return {
    create: (p) =>
      call(
        'create',
        (c) =>
          c.videos.create({
            model: p.model,
            prompt: p.prompt,
            ...(p.seconds ? { seconds: p.seconds as '4' } : {}),
            ...(p.size ? { size: p.size as '720x1280' } : {}),
          }) as Promise<VideoJob>,
        p.model,
      ),
    remix: (id, prompt) => call('remix', (c) => c.videos.remix(id, { prompt }) as Promise<VideoJob>),
    retrieve: (id) => call('status', (c) => c.videos.retrieve(id) as Promise<VideoJob>),
    download: (id) =>
      call('download', async (c) => {
        const res = await c.videos.downloadContent(id);
        return {
          bytes: Buffer.from(await res.arrayBuffer()),
          mimeType: res.headers.get('content-type'),
          requestId: res.headers.get('x-request-id'),
        };
      }),
  };
}
