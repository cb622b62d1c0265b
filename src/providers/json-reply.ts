/**
 * A request with a JSON Schema and no schema flag to carry it: the schema goes in the prompt,
 * after it, in each adapter's own wording (prompts/json-reply-*.md).
 */
import { fillTemplate } from '../util/template.ts';
import claudeTemplate from './prompts/json-reply-claude.md';
import geminiTemplate from './prompts/json-reply-gemini.md';
import localTemplate from './prompts/json-reply-local.md';

export type JsonReplyWording = 'claude' | 'gemini' | 'local';

const TEMPLATE: Record<JsonReplyWording, string> = {
  claude: claudeTemplate,
  gemini: geminiTemplate,
  local: localTemplate,
};

export function withJsonReply(prompt: string, schema: Record<string, unknown>, wording: JsonReplyWording): string {
  return fillTemplate(TEMPLATE[wording], { prompt, schema: JSON.stringify(schema) });
}
