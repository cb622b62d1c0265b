/**
 * Files out of a model's reply: fenced code blocks that name their path. Paths come
 * from a model, so each one is checked before anything is written (no absolute paths,
 * no "..", nothing under .git).
 */
import { posix } from 'node:path';
import { fillTemplate } from '../util/template.ts';
import fileBlocksTemplate from './prompts/file-blocks.md';

export interface CodeFile {
  path: string;
  content: string;
  lang: string;
}

export interface ExtractedFiles {
  files: CodeFile[];
  /** Paths refused as unsafe, with the reason. */
  refused: Array<{ path: string; reason: string }>;
}

// The runs end where the fence character does ((?!`)): the info string cannot trade characters with them.
const FENCE = /^(`{3,}(?!`)|~{3,}(?!~))[ \t]*(\S[^\n]*)?\n([\s\S]*?)\n\1[ \t]*$/gm;
const EXTENSION_BY_LANG: Record<string, string> = {
  tsx: 'tsx',
  jsx: 'jsx',
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  css: 'css',
  html: 'html',
  json: 'json',
  svg: 'svg',
  md: 'md',
};

/** The instruction that makes a model answer in the shape `extractFiles` reads. */
export const FILE_BLOCK_INSTRUCTION = fillTemplate(fileBlocksTemplate);

export function extractFiles(reply: string): ExtractedFiles {
  const files: CodeFile[] = [];
  const refused: ExtractedFiles['refused'] = [];
  let unnamed = 0;
  for (const m of reply.matchAll(FENCE)) {
    const info = (m[2] ?? '').trim();
    const lang = (info.split(/\s+/)[0] ?? '').replace(/^file=.*/, '').toLowerCase();
    let content = m[3]!;
    let path = /(?:file|path|title)=["']?([^\s"']+)/.exec(info)?.[1];
    if (!path) {
      const comment = /^\s*(?:\/\/|#|<!--|\/\*)\s*(?:file|path):\s*(\S+?)\s*(?:(?:-->|\*\/)\s*)?\n/i.exec(content);
      if (comment) {
        path = comment[1]!;
        content = content.slice(comment[0].length);
      }
    }
    path ??= `snippet-${++unnamed}.${EXTENSION_BY_LANG[lang] ?? 'txt'}`;
    const problem = unsafePath(path);
    if (problem) refused.push({ path, reason: problem });
    else
      files.push({
        path: posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, ''),
        content: content.endsWith('\n') ? content : `${content}\n`,
        lang,
      });
  }
  return { files, refused };
}

function unsafePath(path: string): string | undefined {
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Z]:/i.test(p)) return 'absolute path';
  if (p.split('/').includes('..')) return 'contains ".."';
  if (p.split('/')[0] === '.git' || p.split('/').includes('.git')) return 'inside .git';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(p)) return 'control characters';
  return undefined;
}
