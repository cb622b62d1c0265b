/**
 * The Gemini API (images, mockups, prototypes) through @google/genai, behind a small
 * interface so tests can inject a fake and `mm check` never loads the SDK.
 * Base URL: [asset_pipeline] gemini_base_url, else the SDK's GOOGLE_GEMINI_BASE_URL.
 * Always the Gemini API with an API key (vertexai: false), whatever GOOGLE_GENAI_USE_VERTEXAI says.
 */
import { MmError } from '../util/errors.ts';
import { toMmError } from './sdk-errors.ts';

export type GeminiPart = { text: string } | { inlineData: { mimeType: string; data: string } };

interface GeminiRequest {
  /** Model name on the wire, e.g. gemini-3-pro-image. */
  model: string;
  parts: GeminiPart[];
  modalities: Array<'TEXT' | 'IMAGE'>;
  imageSize?: string;
  aspectRatio?: string;
  seed?: number;
  maxOutputTokens?: number;
}

export interface GeminiReply {
  images: Array<{ mimeType: string; bytes: Buffer }>;
  text: string;
  requestId: string | null;
  modelVersion: string | null;
  inputTokens?: number;
  outputTokens?: number;
  finishReason: string | null;
}

export interface GeminiClient {
  generate(request: GeminiRequest): Promise<GeminiReply>;
}

const GEMINI_KEY_ENV = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] as const;

function geminiApiKey(env: NodeJS.ProcessEnv): string {
  const key = GEMINI_KEY_ENV.map((k) => env[k]).find(Boolean);
  if (!key)
    throw new MmError('unavailable', 'no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY)', {
      hint: 'get one at https://aistudio.google.com/apikey; `mm doctor` shows what is missing',
    });
  return key;
}

export function createGeminiClient(opts: {
  env: NodeJS.ProcessEnv;
  baseUrl?: string;
  timeoutMs: number;
}): GeminiClient {
  const apiKey = geminiApiKey(opts.env);
  const baseUrl = opts.baseUrl ?? opts.env.GOOGLE_GEMINI_BASE_URL;
  let ai: Promise<import('@google/genai').GoogleGenAI> | undefined;
  const sdk = () =>
    (ai ??= import('@google/genai').then(
      ({ GoogleGenAI }) =>
        new GoogleGenAI({
          apiKey,
          vertexai: false,
          httpOptions: { timeout: opts.timeoutMs, ...(baseUrl ? { baseUrl } : {}) },
        }),
    ));
  return {
    async generate(request) {
      const client = await sdk();
      let res: import('@google/genai').GenerateContentResponse;
      try {
        res = await client.models.generateContent({
          model: request.model,
          contents: [{ role: 'user', parts: request.parts }],
          config: {
            responseModalities: request.modalities,
            ...(request.imageSize || request.aspectRatio
              ? { imageConfig: { imageSize: request.imageSize, aspectRatio: request.aspectRatio } }
              : {}),
            ...(request.seed !== undefined ? { seed: request.seed } : {}),
            ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
          },
        });
      } catch (e) {
        throw toMmError(e, `Gemini ${request.model}`, { wireModel: request.model, at: 'Google' });
      }
      const candidate = res.candidates?.[0];
      const parts = candidate?.content?.parts ?? [];
      return {
        images: parts
          .filter((p) => p.inlineData?.data)
          .map((p) => ({
            mimeType: p.inlineData!.mimeType ?? 'image/png',
            bytes: Buffer.from(p.inlineData!.data!, 'base64'),
          })),
        text: parts
          .filter((p) => typeof p.text === 'string' && !p.thought)
          .map((p) => p.text)
          .join(''),
        requestId: res.responseId ?? null,
        modelVersion: res.modelVersion ?? null,
        inputTokens: res.usageMetadata?.promptTokenCount,
        outputTokens: res.usageMetadata?.candidatesTokenCount,
        finishReason: candidate?.finishReason ?? res.promptFeedback?.blockReason ?? null,
      };
    },
  };
}
