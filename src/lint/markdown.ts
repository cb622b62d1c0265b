/**
 * The Markdown facts the lint needs, each with its line number: links, code segments
 * (inline spans and fenced-block lines) and the `mm …` invocations written in them.
 */

export interface Located {
  line: number;
  text: string;
}

export interface Scanned {
  /** Link targets outside code, e.g. "../x.md#anchor". */
  links: Located[];
  /** Inline code spans and fenced code lines (continuations joined). */
  code: Located[];
}

export function scanMarkdown(body: string, firstLine = 1): Scanned {
  const links: Located[] = [];
  const code: Located[] = [];
  const lines = body.split('\n');
  let fence: string | null = null;
  let pending: Located | null = null;
  lines.forEach((raw, i) => {
    const line = firstLine + i;
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (fenceMatch && fenceMatch[1]!.startsWith(fence)) {
        fence = null;
        if (pending) code.push(pending);
        pending = null;
        return;
      }
      // Shell continuation lines belong to one command.
      if (pending) pending = { line: pending.line, text: `${pending.text} ${raw.trim()}` };
      else pending = { line, text: raw };
      if (!raw.trimEnd().endsWith('\\')) {
        code.push({ line: pending.line, text: pending.text.replace(/\\\s/g, ' ') });
        pending = null;
      }
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      return;
    }
    // Inline code spans; the rest of the line is prose.
    let prose = '';
    const spanRe = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;
    let last = 0;
    for (let m = spanRe.exec(raw); m; m = spanRe.exec(raw)) {
      code.push({ line, text: m[2]!.trim() });
      prose += raw.slice(last, m.index) + ' ';
      last = m.index + m[0].length;
    }
    prose += raw.slice(last);
    const linkRe = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
    for (let m = linkRe.exec(prose); m; m = linkRe.exec(prose)) links.push({ line, text: m[1]! });
  });
  return { links, code };
}

export interface MmInvocation {
  line: number;
  /** Command words as written, e.g. ["config", "show"]. */
  words: string[];
  flags: string[];
  text: string;
}

const SEPARATORS = new Set(['|', '||', '&&', ';', '>', '>>', '<', '2>', '2>&1', '&']);

/** Every `mm …` (or `…/mm …`, e.g. the launcher) in a code segment. */
export function findMmInvocations(segment: Located): MmInvocation[] {
  const tokens = segment.text.split(/\s+/).filter(Boolean);
  const out: MmInvocation[] = [];
  tokens.forEach((tok, i) => {
    const bare = tok.replace(/^[`'"(!$]+/, '');
    if (bare !== 'mm' && !bare.endsWith('/mm')) return;
    const rest: string[] = [];
    for (const t of tokens.slice(i + 1)) {
      if (SEPARATORS.has(t)) break;
      const cut = /[|;]|&&|\)$/.exec(t);
      if (cut) {
        const head = t.slice(0, cut.index);
        if (head) rest.push(head);
        break;
      }
      rest.push(t);
    }
    const words: string[] = [];
    for (const t of rest) {
      if (!/^[a-z][a-z-]*$/.test(t)) break;
      words.push(t);
    }
    const flags = rest
      .filter((t) => /^--[a-z]/.test(t))
      .map((t) =>
        t
          .slice(2)
          .split('=')[0]!
          .replace(/[^a-z0-9-]+$/, ''),
      );
    out.push({ line: segment.line, words, flags, text: ['mm', ...rest].join(' ') });
  });
  return out;
}

/** File paths written in code that the pack promises exist. */
export function findPathRefs(segment: Located): string[] {
  const re = /(?:^|[\s`'"(=])((?:\$\{CLAUDE_SKILL_DIR\}|\$\{CLAUDE_PLUGIN_ROOT\}|\.claude)\/[\w./-]*)/g;
  const out: string[] = [];
  for (let m = re.exec(segment.text); m; m = re.exec(segment.text)) {
    const path = m[1]!.replace(/[.,:;)]+$/, '');
    // Placeholders and run-state paths (created at run time) are not promises.
    if (/[<{*]/.test(path.replace(/^\$\{[A-Z_]+\}/, '')) || /^\.claude\/mm(?:\/|$)/.test(path)) continue;
    if (path.endsWith('/') || path === '.claude') continue;
    out.push(path);
  }
  return out;
}
