/**
 * Turns a model's text answer into something `mm referee` can judge: a patch (when the
 * answer holds a unified diff) or a folder of files (fenced code blocks that name their
 * path) to overlay on the base. Model output is only ever written to files inside the
 * candidate folder — never run, never passed to a shell — and paths that would leave
 * the folder are refused.
 */
import { isAbsolute, normalize, sep } from 'node:path';

export type Candidate =
  | { kind: 'patch'; patch: string }
  | { kind: 'files'; files: Array<{ path: string; content: string }> }
  | { kind: 'none'; reason: string };

const FENCE = /^(`{3,}(?!`)|~{3,}(?!~))([^\n]*)\n([\s\S]*?)^\1[ \t]*$/gm;
const PATH_IN_INFO = /(?:^|\s)(?:title|file|path)=["']?([^"'\s]+)["']?|^[\w+-]*\s+([^\s=]+\.\w+)\s*$/;
/** A first line inside the fence naming the file: `// file: a.ts`, `# file: a.py`, `<!-- file: a.html -->`, a C block comment, `-- file: a.sql`. */
const PATH_FIRST_LINE =
  /^[ \t]*(?:\/\/|#|--|;|<!--|\/\*)[ \t]*(?:file(?:name)?|path)[ \t]*:[ \t]*([^\s`'"]+?)[ \t]*(?:(?:-->|\*\/)[ \t]*)?$/i;
const PATH_BEFORE = /(?:^|\s)(?:`([^`\s]+\.\w+)`|(?:File|Path|file|path):\s*([^\s`]+\.\w+))\s*(?::\s*)?$/;

export function extractCandidate(text: string): Candidate {
  const blocks = [...text.matchAll(FENCE)].map((m) => ({
    info: (m[2] ?? '').trim(),
    body: m[3] ?? '',
    index: m.index ?? 0,
  }));
  const diffBlock = blocks.find((b) => /^(?:diff|patch)\b/.test(b.info) || looksLikeDiff(b.body));
  if (diffBlock) return { kind: 'patch', patch: ensureNewline(diffBlock.body) };
  if (blocks.length === 0 && looksLikeDiff(text))
    return { kind: 'patch', patch: ensureNewline(text.slice(text.search(/^(diff --git |--- )/m))) };

  const files: Array<{ path: string; content: string }> = [];
  const refused: string[] = [];
  for (const block of blocks) {
    const fromInfo = PATH_IN_INFO.exec(block.info);
    const lineBefore = text.slice(0, block.index).trimEnd().split('\n').pop() ?? '';
    const fromLine = PATH_BEFORE.exec(lineBefore.replace(/^#+\s*(\[[A-Z]+\]\s*)?/, ' '));
    const firstLine = block.body.split('\n', 1)[0] ?? '';
    const fromFirst = PATH_FIRST_LINE.exec(firstLine);
    const path = fromInfo?.[1] ?? fromInfo?.[2] ?? fromFirst?.[1] ?? fromLine?.[1] ?? fromLine?.[2];
    if (!path) continue;
    // The marker line names the file; it is not part of it.
    const body = fromFirst ? block.body.slice(firstLine.length + 1) : block.body;
    if (!isSafeRelativePath(path)) {
      refused.push(path);
      continue;
    }
    const existing = files.findIndex((f) => f.path === normalize(path));
    const file = { path: normalize(path), content: ensureNewline(body) };
    if (existing >= 0) files[existing] = file; // the last version of a file wins
    else files.push(file);
  }
  if (files.length > 0) return { kind: 'files', files };
  return {
    kind: 'none',
    reason: refused.length
      ? `refused paths outside the project: ${refused.join(', ')}`
      : 'no unified diff and no code block naming its file path',
  };
}

export function isSafeRelativePath(path: string): boolean {
  if (!path || isAbsolute(path) || /^[A-Z]:/i.test(path)) return false;
  const clean = normalize(path);
  const parts = clean.split(/[\\/]/);
  return !clean.startsWith(`..${sep}`) && clean !== '..' && !parts.includes('..') && !parts.includes('.git');
}

function looksLikeDiff(text: string): boolean {
  return /^diff --git /m.test(text) || (/^--- \S/m.test(text) && /^\+\+\+ \S/m.test(text) && /^@@ /m.test(text));
}

const ensureNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
