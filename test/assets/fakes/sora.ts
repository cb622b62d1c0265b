/**
 * A fake OpenAI videos API for the openai SDK: a job moves queued → in_progress →
 * completed on successive status checks (or fails, or never finishes), then serves content.
 */
import { sendJson, startFake, type FakeServer } from './server.ts';

export type SoraScenario = 'complete' | 'fail' | 'stuck';

export interface SoraFake extends FakeServer {
  created: Array<Record<string, string>>;
}

export const FAKE_MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(64, 7)]);

export async function startSoraFake(scenario: SoraScenario): Promise<SoraFake> {
  const created: SoraFake['created'] = [];
  const jobs = new Map<
    string,
    { checks: number; seconds: string; size: string; remix: string | null; prompt: string }
  >();
  const view = (id: string) => {
    const j = jobs.get(id)!;
    const status =
      j.checks === 0
        ? 'queued'
        : scenario === 'stuck' || j.checks < 3
          ? 'in_progress'
          : scenario === 'fail'
            ? 'failed'
            : 'completed';
    return {
      id,
      object: 'video',
      model: 'sora-2',
      status,
      progress: status === 'completed' ? 100 : status === 'queued' ? 0 : Math.min(90, j.checks * 40),
      created_at: 1_700_000_000,
      completed_at: status === 'completed' ? 1_700_000_100 : null,
      expires_at: null,
      error: status === 'failed' ? { code: 'moderation_blocked', message: 'the prompt was blocked' } : null,
      prompt: j.prompt,
      remixed_from_video_id: j.remix,
      seconds: j.seconds,
      size: j.size,
    };
  };
  const fake = await startFake(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    if (req.headers.authorization !== 'Bearer test-openai-key')
      return sendJson(res, 401, { error: { message: 'bad key' } });
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && url.pathname === '/v1/videos') {
      // The SDK sends multipart form data.
      const form = await new Response(new Uint8Array(req.body), {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
      const fields = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
      created.push(fields);
      const id = `video_${jobs.size + 1}`;
      jobs.set(id, {
        checks: 0,
        seconds: fields.seconds ?? '4',
        size: fields.size ?? '720x1280',
        remix: null,
        prompt: fields.prompt ?? '',
      });
      return sendJson(res, 200, view(id));
    }
    if (req.method === 'POST' && (m = /^\/v1\/videos\/([^/]+)\/remix$/.exec(url.pathname))) {
      const body = JSON.parse(req.body.toString('utf8'));
      created.push({ remix: m[1]!, prompt: body.prompt });
      const id = `video_${jobs.size + 1}`;
      jobs.set(id, { checks: 0, seconds: '4', size: '720x1280', remix: m[1]!, prompt: body.prompt });
      return sendJson(res, 200, view(id));
    }
    if (req.method === 'GET' && (m = /^\/v1\/videos\/([^/]+)$/.exec(url.pathname)) && jobs.has(m[1]!)) {
      jobs.get(m[1]!)!.checks++;
      return sendJson(res, 200, view(m[1]!));
    }
    if (req.method === 'GET' && (m = /^\/v1\/videos\/([^/]+)\/content$/.exec(url.pathname)) && jobs.has(m[1]!)) {
      if (view(m[1]!).status !== 'completed') return sendJson(res, 409, { error: { message: 'not ready' } });
      res.writeHead(200, { 'content-type': 'video/mp4', 'x-request-id': 'req_content_1' });
      return void res.end(FAKE_MP4);
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
  });
  return Object.assign(fake, { created });
}
