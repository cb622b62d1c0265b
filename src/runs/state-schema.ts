import { z } from 'zod';

export const runStateSchema = z.object({
  run_id: z.string(),
  created: z.string(),
  updated: z.string(),
  debug: z
    .object({
      failed_cycles: z.number().int().nonnegative().default(0),
      notes: z.array(z.object({ at: z.string(), note: z.string() })).default([]),
    })
    .prefault({}),
});
export type RunState = z.infer<typeof runStateSchema>;
