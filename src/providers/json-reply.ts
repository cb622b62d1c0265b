/**
 * A request with a JSON Schema and no schema flag to carry it: the schema goes in the prompt,
 * after it, in each adapter's own wording.
 */
export type JsonReplyWording = 'claude' | 'gemini' | 'local';

const INSTRUCTION: Record<JsonReplyWording, string> = {
  claude: 'Reply with ONLY a JSON value (no prose, no code fence) matching this JSON Schema:',
  gemini: 'Reply with ONLY a JSON value (no prose, no code fence) that matches this JSON Schema:',
  local: 'Reply with ONLY a JSON value matching this JSON Schema:',
};

export function withJsonReply(prompt: string, schema: Record<string, unknown>, wording: JsonReplyWording): string {
  return `${prompt}\n\n${INSTRUCTION[wording]}\n${JSON.stringify(schema)}`;
}
