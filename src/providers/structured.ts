/**
 * Structured replies: a JSON Schema is sent to the model, but no CLI checks the reply
 * against it, so mm does. zod's fromJSONSchema keeps one schema for prompt and parser.
 * zod is loaded only when a schema is given: plain `mm ask` never pays for it.
 */

export type StructuredCheck = { ok: true; json: unknown } | { ok: false; truncated: boolean; error: string };

export async function checkStructuredReply(text: string, schema: Record<string, unknown>): Promise<StructuredCheck> {
  const body = stripFence(text.trim());
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    // Output that opens a JSON value and never closes it was cut off, not malformed.
    return { ok: false, truncated: looksCutOff(body), error: `reply is not JSON: ${(e as Error).message}` };
  }
  const { z } = await import('zod');
  const parsed = z.fromJSONSchema(optionalNullables(schema) as never).safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, truncated: false, error: `reply does not match the schema: ${issues.join('; ')}` };
  }
  return { ok: true, json: parsed.data };
}

/**
 * Strict mode (OpenAI) lists every key in `required` and marks optional ones "or null".
 * A model without strict decoding (Gemini) may simply leave such a key out: accept that.
 */
function optionalNullables(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(optionalNullables);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = optionalNullables(v);
  const props = out.properties as Record<string, unknown> | undefined;
  if (props && Array.isArray(out.required))
    out.required = (out.required as string[]).filter((key) => !allowsNull(props[key]));
  return out;
}

function allowsNull(prop: unknown): boolean {
  const p = prop as { type?: unknown; anyOf?: unknown[] } | undefined;
  if (!p) return false;
  if (p.type === 'null' || (Array.isArray(p.type) && p.type.includes('null'))) return true;
  return Array.isArray(p.anyOf) && p.anyOf.some(allowsNull);
}

function stripFence(text: string): string {
  const m = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/.exec(text);
  return m ? m[1]! : text;
}

function looksCutOff(text: string): boolean {
  if (!/^[[{]/.test(text)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth > 0 || inString;
}
