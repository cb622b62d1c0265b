/**
 * The coder of `mm handoff run`: who it is ([roles] coder, or --coder), how it works, and
 * the prompt it gets. Agent coders (Codex with a workspace-write sandbox, the Gemini-family
 * CLI with edits allowed) edit the isolated checkout themselves; text coders (a local
 * model, Claude through the Messages API) answer with whole files or a diff, which mm
 * writes into the checkout. Either way the checkout is the only place anything lands.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InvokeContext } from '../../providers/index.ts';
import { resolveTarget, type AdapterKind } from '../../providers/resolve.ts';
import { git } from '../../git/git.ts';
import { MmError } from '../../util/errors.ts';
import { extractCandidate, isSafeRelativePath } from '../fanout/materialize.ts';
import { fillTemplate } from '../../util/template.ts';
import agentTemplate from './prompts/coder-agent.md';
import rulesTemplate from './prompts/coder-rules.md';
import textTemplate from './prompts/coder-text.md';
import noVerificationTemplate from './prompts/no-verification.md';
import verificationTemplate from './prompts/verification.md';

export const CODER_TASK = 'implementation';

export interface Coder {
  /** Registry id of the model. */
  model: string;
  /** Display name, as the HARD STOP block shows it. */
  name: string;
  adapter: AdapterKind;
  mode: 'agent' | 'text';
}

export function resolveCoder(id: string, ctx: InvokeContext): Coder {
  const entry = ctx.registry.find(id);
  if (!entry)
    throw new MmError('config', `the coder "${id}" is not a model mm knows`, {
      hint: 'set [roles] coder to an id from `mm models`, or pass --coder <id>',
    });
  let adapter: AdapterKind;
  try {
    adapter = resolveTarget(entry.id, { task: CODER_TASK }, ctx).adapter;
  } catch (e) {
    throw new MmError('config', `the coder ${entry.id} cannot write code through mm: ${(e as Error).message}`);
  }
  if (!ctx.registry.isEnabled(entry))
    throw new MmError('config', `the coder ${entry.id} is not enabled in this project's config`, {
      hint: `enable its integration in .claude/config/multi-model.toml, or pass --coder <an enabled model>`,
    });
  return {
    model: entry.id,
    name: entry.name,
    adapter,
    mode: adapter === 'codex' || adapter === 'gemini' ? 'agent' : 'text',
  };
}

export function coderPrompt(spec: { name: string; text: string; verification: string | null }, coder: Coder): string {
  const common = { rules: fillTemplate(rulesTemplate), name: spec.name, spec: spec.text };
  if (coder.mode === 'text') return fillTemplate(textTemplate, common);
  return fillTemplate(agentTemplate, {
    ...common,
    verification: spec.verification
      ? fillTemplate(verificationTemplate, { command: spec.verification })
      : fillTemplate(noVerificationTemplate),
  });
}

export interface CoderReply {
  summary: string;
  blockers: string[];
  deviations: string[];
  deleted: string[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];

/** The coder's closing JSON object, read leniently: a reply without one still has a summary. */
export function parseCoderReply(text: string): CoderReply {
  const candidates = [text.trim(), ...[...text.matchAll(/```(?:json)?[ \t]*\n([\s\S]*?)```/g)].map((m) => m[1]!)];
  const brace = text.lastIndexOf('{"summary"');
  if (brace >= 0) candidates.push(text.slice(brace, text.lastIndexOf('}') + 1));
  for (const c of candidates.reverse()) {
    try {
      const v = JSON.parse(c) as Record<string, unknown>;
      if (v && typeof v === 'object' && typeof v.summary === 'string')
        return {
          summary: v.summary.trim(),
          blockers: strings(v.blockers),
          deviations: strings(v.deviations),
          deleted: strings(v.deleted),
        };
    } catch {
      // not this one
    }
  }
  const plain = text.replace(/```[\s\S]*?```/g, '').trim();
  return {
    summary: plain.slice(0, 600) || '(the coder gave no summary)',
    blockers: [],
    deviations: [],
    deleted: [],
  };
}

/**
 * Writes a text coder's answer into the checkout: a unified diff is applied with git,
 * files are written (paths that would leave the checkout are refused by extractCandidate).
 */
export async function writeTextAnswer(workdir: string, text: string, deleted: string[]): Promise<string[]> {
  const candidate = extractCandidate(text);
  const notes: string[] = [];
  if (candidate.kind === 'patch') {
    const patchFile = join(workdir, '.mm-coder.patch');
    writeFileSync(patchFile, candidate.patch);
    const r = await git(['apply', '--whitespace=nowarn', '.mm-coder.patch'], workdir);
    rmSync(patchFile, { force: true });
    if (r.code !== 0) notes.push(`the coder's diff did not apply: ${r.stderr.trim().split('\n').pop()}`);
  } else if (candidate.kind === 'files') {
    for (const f of candidate.files) {
      mkdirSync(dirname(join(workdir, f.path)), { recursive: true });
      writeFileSync(join(workdir, f.path), f.content);
    }
  } else notes.push(`no code in the coder's answer: ${candidate.reason}`);
  for (const path of deleted) {
    if (!isSafeRelativePath(path)) {
      notes.push(`refused to delete ${path}: outside the project`);
      continue;
    }
    rmSync(join(workdir, path), { force: true });
  }
  return notes;
}
