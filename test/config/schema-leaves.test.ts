/**
 * Every key the config schema accepts is read by some code: a key that nothing reads
 * (it used to be models.codex.debug_escalation_threshold) tells the user a lie.
 *
 * Static and deliberately simple: for each leaf of the zod schema, some module under src/
 * (other than the schema itself) must use the key as a property (`.key`, `['key']`,
 * `{ key }` destructuring) or as a string literal (keys read by computed index, such as
 * checkpoint names and effort rows). A key whose name occurs at several places in the
 * schema (timeout_seconds) must be used in a module that also names its parent table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { configSchema } from '../../src/config/schema.ts';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  while (defOf(cur).innerType) cur = defOf(cur).innerType!;
  return cur;
}

/** Tables whose children are data rows, read by computed key (each row name is the leaf). */
const ROW_TABLES = new Set(['models.effort_policy']);

function leaves(schema: z.ZodType, path: string[] = []): string[][] {
  const def = defOf(unwrap(schema));
  if (def.type !== 'object' || !def.shape) return [path];
  const rows = ROW_TABLES.has(path.join('.'));
  return Object.entries(def.shape).flatMap(([k, child]) => (rows ? [[...path, k]] : leaves(child, [...path, k])));
}

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !f.endsWith('config/schema.ts'))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('config schema', () => {
  const all = leaves(configSchema);
  const src = sources(new URL('../../src', import.meta.url).pathname);
  const nameCount = new Map<string, number>();
  for (const p of all) nameCount.set(p.at(-1)!, (nameCount.get(p.at(-1)!) ?? 0) + 1);

  it('has leaves to check', () => {
    expect(all.map((p) => p.join('.'))).toContain('models.codex.timeout_seconds');
  });

  it.each(all.map((p) => [p.join('.'), p] as const))('%s is read by some code', (_name, path) => {
    const key = path.at(-1)!;
    const parent = path.at(-2);
    const use = new RegExp(
      `\\.${esc(key)}\\b|\\[['"]${esc(key)}['"]\\]|['"]${esc(key)}['"]|\\{[^}=]*\\b${esc(key)}\\b[^}=]*\\}\\s*=`,
    );
    const needsParent = (nameCount.get(key) ?? 0) > 1 && parent !== undefined;
    const readers = src.filter(
      ({ text }) => use.test(text) && (!needsParent || new RegExp(`\\b${esc(parent!)}\\b`).test(text)),
    );
    expect(
      readers.map((r) => r.file),
      `${path.join('.')} is accepted but nothing reads it`,
    ).not.toEqual([]);
  });
});
