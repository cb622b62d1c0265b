/**
 * `{stem}.meta.json`: the provenance record of one asset. One schema for the writer,
 * `mm assets verify` and `mm assets list --json`.
 */
import { z } from 'zod';

export const META_SCHEMA_VERSION = 1;

const watermarkSchema = z.object({
  /** True only when the provider's response said so; provider policy alone is not a report. */
  reported: z.boolean(),
  /** What the provider documents for its outputs (e.g. SynthID), or null. */
  provider_policy: z.string().nullable(),
  detail: z.string().nullable().default(null),
});

const fallbackSchema = z.object({
  /** The model that was tried first and failed. */
  from: z.string(),
  /** Every failed hop, in order: model and short reason. */
  failures: z.array(z.object({ model: z.string(), error: z.string() })),
});
export type Fallback = z.infer<typeof fallbackSchema>;

export const assetMetaSchema = z.object({
  schema_version: z.literal(META_SCHEMA_VERSION),
  /** The asset file name, relative to the meta file's folder. */
  file: z.string(),
  /** generated: made by mm; recorded: made elsewhere and recorded with `mm assets record`. */
  source: z.enum(['generated', 'recorded']),
  model: z.string(),
  provider: z.string(),
  /** The model name on the wire, or the model version the provider reported. */
  wire_model: z.string().nullable(),
  task: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  /** The seed used, when the model supports one and store_seeds is on; null otherwise. */
  seed: z.number().int().nullable(),
  created_at: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  mime_type: z.string().nullable(),
  watermark: watermarkSchema,
  request_id: z.string().nullable(),
  estimated_cost_usd: z.number().nonnegative().nullable(),
  fallback: fallbackSchema.nullable(),
  /** Prompt sidecar file name, or null when store_prompts is off. */
  prompt_file: z.string().nullable(),
  /** What the secrets guard redacted from the prompt before it was sent. */
  withheld: z.array(z.string()).default([]),
});
export type AssetMeta = z.infer<typeof assetMetaSchema>;
