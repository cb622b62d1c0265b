/**
 * `mm ui mockup` (design §5.5): Gemini draws a mockup and writes React/TSX + Tailwind for
 * it in one call. The image is stored with provenance; the code goes to a scratch folder
 * for Claude to integrate, never into the project's sources.
 */
import { join, relative } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Registry } from '../registry/registry.ts';
import { writeFileNoClobber } from '../util/atomic-write.ts';
import { MmError } from '../util/errors.ts';
import { extractFiles, FILE_BLOCK_INSTRUCTION } from './code-blocks.ts';
import { estimateCost } from './cost.ts';
import type { GeminiClient } from './gemini-client.ts';
import { storeGeminiImage } from './image.ts';
import { checkAssetPipeline } from './layout.ts';
import { scratchDir, writeScratchFiles } from './scratch.ts';
import { statusOf, storePaid, type AssetServices } from './services.ts';
import type { StoredAsset } from './store.ts';

export interface MockupDeps {
  projectRoot: string;
  config: Config;
  registry: Registry;
  gemini: GeminiClient;
  services: AssetServices;
}

export interface MockupOutcome {
  image: StoredAsset | null;
  scratch: string;
  files: string[];
  refused: Array<{ path: string; reason: string }>;
  /** What the secrets guard redacted from the description before sending. */
  withheld: string[];
}

export function mockupPrompt(describe: string): string {
  return [
    'Design this UI component and implement it.',
    `Component: ${describe}`,
    '1. Generate a visual mockup image of the component.',
    '2. Write the React (TSX, function component, typed props) implementation.',
    '3. Style it with Tailwind CSS utility classes; put any extra CSS in a separate .css file.',
    FILE_BLOCK_INSTRUCTION,
  ].join('\n');
}

export async function generateMockup(
  req: { describe: string; stem: string; model?: string },
  deps: MockupDeps,
): Promise<MockupOutcome> {
  const entry = deps.registry.get(req.model ?? deps.config.models.gemini.default_model, '--model');
  if (!entry.capabilities.includes('image') || entry.integration !== 'gemini') {
    throw new MmError('usage', `${entry.id} cannot draw a mockup and write its code in one call`, {
      hint: 'use a Gemini Pro model such as gemini-3.1-pro',
    });
  }
  checkAssetPipeline(deps.projectRoot, deps.config.asset_pipeline, entry.id);
  const guarded = deps.services.guardPrompt(mockupPrompt(req.describe));
  deps.services.checkBudget(entry, estimateCost(entry, { images: 1 }), guarded.text);
  const started = Date.now();
  const wire = entry.wire_model ?? entry.id;
  let reply;
  try {
    reply = await deps.gemini.generate({ model: wire, parts: [{ text: guarded.text }], modalities: ['TEXT', 'IMAGE'] });
  } catch (e) {
    deps.services.recordUsage({
      ts: new Date().toISOString(),
      task: 'ui_mockup',
      provider: entry.integration,
      model: entry.id,
      status: statusOf(e),
      latency_ms: Date.now() - started,
      cost_usd: null,
      request_id: null,
      asset: null,
      error: (e as Error).message,
    });
    throw e;
  }
  const { files, refused } = extractFiles(reply.text);
  const image = reply.images[0];
  if (!image && files.length === 0)
    throw new MmError(
      'invalid_output',
      `${entry.id} returned neither a mockup image nor code${reply.finishReason ? ` (finish reason ${reply.finishReason})` : ''}`,
    );
  const cost = estimateCost(entry, { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens });
  const stored = image
    ? storePaid(
        () =>
          storeGeminiImage({
            projectRoot: deps.projectRoot,
            pipeline: deps.config.asset_pipeline,
            entry,
            wire,
            reply,
            image,
            stem: req.stem,
            prompt: guarded.text,
            task: 'ui_mockup',
            // The description is the prompt: with store_prompts off it is not kept here either.
            parameters: { describe: deps.config.asset_pipeline.store_prompts ? req.describe : null },
            seed: null,
            cost,
            fallback: null,
            withheld: guarded.withheld,
          }),
        (error) =>
          deps.services.recordUsage({
            ts: new Date().toISOString(),
            task: 'ui_mockup',
            provider: entry.integration,
            model: entry.id,
            status: 'failed',
            latency_ms: Date.now() - started,
            cost_usd: cost,
            request_id: reply.requestId,
            asset: null,
            error,
            tokens: { input: reply.inputTokens, output: reply.outputTokens },
          }),
      )
    : null;
  const scratch = scratchDir(deps.projectRoot, 'mockup');
  const written = writeScratchFiles(scratch.dir, files);
  writeFileNoClobber(join(scratch.dir, 'REPLY.md'), reply.text);
  writeFileNoClobber(
    join(scratch.dir, 'README.md'),
    [
      `# UI mockup: ${req.describe}`,
      '',
      `Generated by ${entry.id}${reply.requestId ? ` (request ${reply.requestId})` : ''}. Review before use: nothing here is part of the project yet.`,
      stored ? `Mockup image: ${stored.relativePath}` : 'No mockup image was returned.',
      '',
      'Files:',
      ...written.map((w) => `- ${relative(scratch.dir, w)}`),
      ...refused.map((r) => `- refused ${r.path}: ${r.reason}`),
      '',
    ].join('\n'),
  );
  deps.services.recordUsage({
    ts: new Date().toISOString(),
    task: 'ui_mockup',
    provider: entry.integration,
    model: entry.id,
    status: 'ok',
    latency_ms: Date.now() - started,
    cost_usd: cost,
    request_id: reply.requestId,
    asset: stored?.relativePath ?? null,
    tokens: { input: reply.inputTokens, output: reply.outputTokens },
  });
  return { image: stored, scratch: scratch.dir, files: written, refused, withheld: guarded.withheld };
}
