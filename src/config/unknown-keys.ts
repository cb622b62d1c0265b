/**
 * Unknown keys are warnings, not errors: a newer config must not break an older `mm`.
 * Found by walking the raw TOML object alongside the zod schema's shape.
 */
import type { z } from 'zod';
import { didYouMean } from '../util/did-you-mean.ts';

export interface UnknownKey {
  path: string[];
  suggestion?: string;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); def.innerType; def = defOf(current)) current = def.innerType;
  return current;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A key the schema declares itself: "toString" or "__proto__" in a config is not Object.prototype's. */
const own = <T>(table: Record<string, T> | undefined, key: string): T | undefined =>
  table && Object.hasOwn(table, key) ? table[key] : undefined;

/** Unknown keys under `value`; appended to `out` (no spreads: a config may hold 300k keys). */
export function findUnknownKeys(
  schema: z.ZodType,
  value: unknown,
  path: string[] = [],
  out: UnknownKey[] = [],
): UnknownKey[] {
  const def = defOf(unwrap(schema));
  if (def.type === 'object' && def.shape && isPlainObject(value)) {
    const known = Object.keys(def.shape);
    const catchall = def.catchall && defOf(def.catchall).type !== 'never' ? def.catchall : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childSchema = own(def.shape, key) ?? catchall;
      if (!childSchema) {
        // Suggestions cost a distance per known key: only for the first few.
        out.push({ path: [...path, key], suggestion: out.length < 50 ? didYouMean(key, known) : undefined });
        continue;
      }
      findUnknownKeys(childSchema, child, [...path, key], out);
    }
  } else if (def.type === 'record' && def.valueType && isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) findUnknownKeys(def.valueType, child, [...path, key], out);
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    value.forEach((child, i) => findUnknownKeys(def.element!, child, [...path, String(i)], out));
  }
  return out;
}
