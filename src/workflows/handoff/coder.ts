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

const RULES = [
  'Implement ALL items of the Code Spec below. Do NOT deviate from it, and respect its "Guardrails — Do NOT" section.',
  'If something needs an architectural decision (ambiguity, missing information, conflicting requirements): implement your best guess,',
  'mark it in the code with a `TODO(architect): <question>` comment, list it under blockers, and continue with the rest.',
];

export function coderPrompt(spec: { name: string; text: string; verification: string | null }, coder: Coder): string {
  const how =
    coder.mode === 'agent'
      ? [
          'You are the Coder of an architect→coder handoff, working in the current directory: an isolated checkout of the project',
          '(changes here reach the user only after the architect reviews them). Edit the files directly. Do not commit.',
          ...RULES,
          spec.verification
            ? `When done, run the verification command and fix what it reports:\n${spec.verification}`
            : 'The spec names no verification command.',
          'Finish with ONE JSON object as your final message: {"summary": "1-3 sentences", "blockers": ["…"], "deviations": ["…"]}.',
        ]
      : [
          'You are the Coder of an architect→coder handoff. You cannot edit files: answer with every file you create or change,',
          'IN FULL, each in a fenced code block whose info string names its path (```ts path=src/example.ts), or with one unified diff',
          '(```diff). To delete a file, list it in "deleted".',
          ...RULES,
          'After the code, end with ONE JSON object: {"summary": "1-3 sentences", "blockers": ["…"], "deviations": ["…"], "deleted": ["path"]}.',
        ];
  return [...how, '', `<<<CODE SPEC (${spec.name})`, spec.text, 'CODE SPEC>>>'].join('\n');
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
