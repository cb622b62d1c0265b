/**
 * Frontmatter schemas for the pack: Agent Skills rules (name, description) plus the keys
 * Claude Code reads. Strict objects, so a misspelt key is a lint error, not a silent no-op.
 */
import { z } from 'zod';

/** Agent Skills name: 1–64 chars of a-z, 0-9 and single inner hyphens. */
const NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const nameField = z
  .string()
  .min(1, 'name is empty')
  .max(64, 'name is longer than 64 characters')
  .regex(NAME_RE, 'name must be lower-case a-z, 0-9 and single hyphens (no leading/trailing hyphen)');
const descriptionField = z
  .string()
  .trim()
  .min(1, 'description is empty')
  .max(1024, 'description is longer than 1024 characters');

/** `allowed-tools` / `tools`: a comma-separated string or a YAML list. */
const toolsField = z.union([z.string(), z.array(z.string())]);

const skillFrontmatter = z.strictObject({
  name: nameField,
  description: descriptionField,
  license: z.string().optional(),
  compatibility: z.string().max(500).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  'allowed-tools': toolsField.optional(),
  'argument-hint': z.string().optional(),
  'disable-model-invocation': z.boolean().optional(),
  'user-invocable': z.boolean().optional(),
  model: z.string().optional(),
  context: z.literal('fork').optional(),
  agent: z.string().optional(),
});

const agentFrontmatter = z.strictObject({
  name: nameField,
  description: descriptionField,
  tools: toolsField,
  disallowedTools: toolsField.optional(),
  model: z.string().optional(),
  color: z.string().optional(),
  skills: z.array(z.string()).optional(),
  permissionMode: z.string().optional(),
});

const commandFrontmatter = z.strictObject({
  description: descriptionField,
  'argument-hint': z.string().optional(),
  'allowed-tools': toolsField.optional(),
  'disable-model-invocation': z.boolean().optional(),
  model: z.string().optional(),
});

export type Kind = 'skill' | 'agent' | 'command';
export const SCHEMAS = { skill: skillFrontmatter, agent: agentFrontmatter, command: commandFrontmatter } as const;

/** Tools a pack file may name. Anything else is a typo or an over-broad grant. */
export const KNOWN_TOOLS = new Set([
  'Read',
  'Grep',
  'Glob',
  'Write',
  'Edit',
  'NotebookEdit',
  'WebFetch',
  'WebSearch',
  'Task',
  'Skill',
  'TodoWrite',
  'Bash',
]);
/** Tools that change files: a command granting them must be user-invoked only. */
export const WRITING_TOOLS = new Set(['Write', 'Edit', 'NotebookEdit']);

/** Splits "Read, Bash(git diff:*), Grep" at top-level commas. */
export function splitTools(value: string | string[]): string[] {
  if (Array.isArray(value)) return value.map((t) => t.trim()).filter(Boolean);
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if ((ch === ',' || ch === ' ') && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
