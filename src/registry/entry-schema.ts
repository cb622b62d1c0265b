/** The zod twin of RegistryEntry (types.ts), used by tests and for user-facing validation. */
import { z } from 'zod';
import {
  ACCESS_KINDS,
  CAPABILITIES,
  COST_TIER_VALUES,
  INTEGRATIONS,
  LIFECYCLE_STATUSES,
  MODEL_LINES,
  type RegistryEntry,
} from './types.ts';

export const registryEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  vendor: z.string().min(1),
  integration: z.enum(INTEGRATIONS),
  line: z.enum(MODEL_LINES).optional(),
  wire_model: z.string().optional(),
  aliases: z.array(z.string()),
  context_in: z.number().int().positive().nullable(),
  context_out: z.number().int().positive().nullable(),
  context_note: z.string().optional(),
  best_for: z.array(z.string()).min(1),
  hazards: z.array(z.string()),
  capabilities: z.array(z.enum(CAPABILITIES)).min(1),
  cost_tier: z.enum(COST_TIER_VALUES),
  prices: z
    .object({
      input_per_mtok: z.number().nonnegative().optional(),
      output_per_mtok: z.number().nonnegative().optional(),
      per_image: z.record(z.string(), z.number().nonnegative()).optional(),
      per_second: z.number().nonnegative().optional(),
    })
    .nullable(),
  access: z.object({
    kind: z.enum(ACCESS_KINDS),
    command: z.string().optional(),
    endpoint: z.string().optional(),
    key_env: z.array(z.string()),
  }),
  effort: z.object({ mechanism: z.string(), levels: z.array(z.string()) }),
  status: z.enum(LIFECYCLE_STATUSES).optional(),
  successor: z.string().optional(),
  verified: z
    .object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      source: z.string().url(),
      unverified: z.string().optional(),
    })
    .optional(),
  former_ids: z
    .array(
      z.object({
        id: z.string().min(1),
        gone_since: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        note: z.string().min(1),
      }),
    )
    .optional(),
}) satisfies z.ZodType<RegistryEntry>;
