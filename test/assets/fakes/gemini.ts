/**
 * A fake Gemini API (generateContent) for @google/genai: per wire model, answer with
 * an image, text, an error status, or nothing useful.
 */
import { sendJson, startFake, type FakeServer } from './server.ts';
import { tinyPng } from './png.ts';

export type GeminiBehaviour =
  | { kind: 'image'; png?: Buffer; text?: string }
  | { kind: 'text'; text: string }
  | { kind: 'error'; status: number; message?: string }
  | { kind: 'no-image' };

export interface GeminiFake extends FakeServer {
  /** Parsed request bodies per wire model, in order. */
  bodies: Array<{ model: string; body: any }>;
}

export async function startGeminiFake(behaviour: Record<string, GeminiBehaviour>): Promise<GeminiFake> {
  const bodies: GeminiFake['bodies'] = [];
  const fake = await startFake((req, res) => {
    // models.list: the wire models this fake serves (its behaviour keys).
    if (req.method === 'GET' && /\/v1beta\/models\/?(?:\?|$)/.test(req.url))
      return sendJson(res, 200, {
        models: Object.keys(behaviour)
          .filter((k) => k !== '*')
          .map((k) => ({ name: `models/${k}`, supportedGenerationMethods: ['generateContent'] })),
      });
    const m = /\/models\/([^/:]+):generateContent/.exec(req.url);
    if (!m || req.method !== 'POST')
      return sendJson(res, 404, {
        error: { code: 404, message: `no route ${req.method} ${req.url}`, status: 'NOT_FOUND' },
      });
    if (req.headers['x-goog-api-key'] !== 'test-gemini-key')
      return sendJson(res, 403, { error: { code: 403, message: 'API key not valid', status: 'PERMISSION_DENIED' } });
    const model = decodeURIComponent(m[1]!);
    const body = JSON.parse(req.body.toString('utf8'));
    bodies.push({ model, body });
    // Any model fails a prompt that asks for it: lets a batch test fail one item.
    if (JSON.stringify(body.contents).includes('FAIL_ME'))
      return sendJson(res, 500, { error: { code: 500, message: 'asked to fail', status: 'INTERNAL' } });
    const b = behaviour[model] ?? behaviour['*'];
    // Google's own words for a model it does not (or no longer) serve.
    if (!b)
      return sendJson(res, 404, {
        error: {
          code: 404,
          message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
          status: 'NOT_FOUND',
        },
      });
    if (b.kind === 'error')
      return sendJson(res, b.status, {
        error: { code: b.status, message: b.message ?? 'fake failure', status: 'INTERNAL' },
      });
    const parts: unknown[] = [];
    if (b.kind === 'image') {
      if (b.text) parts.push({ text: b.text });
      parts.push({ inlineData: { mimeType: 'image/png', data: (b.png ?? tinyPng()).toString('base64') } });
    } else if (b.kind === 'text') parts.push({ text: b.text });
    else parts.push({ text: 'I cannot draw that.' });
    sendJson(res, 200, {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 1200, totalTokenCount: 1300 },
      modelVersion: model,
      responseId: `resp-${bodies.length}`,
    });
  });
  return Object.assign(fake, { bodies });
}
