/**
 * Just enough Markdown structure for handoff documents: the title, `**Field:**` lines,
 * `## ` sections (headings inside fenced code do not count), fenced blocks and table rows.
 */
export interface Section {
  heading: string;
  /** Body lines after the heading, up to the next `## ` heading. */
  body: string;
  /** 1-based line of the heading. */
  line: number;
}

export interface MarkdownDoc {
  title: string | null;
  fields: Map<string, string>;
  sections: Section[];
}

const FENCE = /^\s*(`{3,}|~{3,})/;

export function parseMarkdown(text: string): MarkdownDoc {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let title: string | null = null;
  const fields = new Map<string, string>();
  const sections: Section[] = [];
  let current: { heading: string; lines: string[]; line: number } | null = null;
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const marker = FENCE.exec(line)?.[1];
    let inFence = fence !== null;
    if (fence === null && marker) {
      fence = marker;
      inFence = true;
    } else if (
      fence !== null &&
      marker &&
      marker[0] === fence[0] &&
      marker.length >= fence.length &&
      line.trim() === marker
    ) {
      fence = null;
    }
    if (!inFence && title === null && /^# \S/.test(line)) title = line.slice(2).trim();
    if (!inFence && !current) {
      const field = /^\*\*([^*]+):\*\*(.*)$/.exec(line.trim());
      if (field) fields.set(field[1]!.trim(), field[2]!.trim());
    }
    if (!inFence && /^## \S/.test(line)) {
      if (current) sections.push({ heading: current.heading, body: current.lines.join('\n'), line: current.line });
      current = { heading: line.slice(3).trim(), lines: [], line: i + 1 };
    } else if (current) current.lines.push(line);
  });
  if (current) {
    const c = current as { heading: string; lines: string[]; line: number };
    sections.push({ heading: c.heading, body: c.lines.join('\n'), line: c.line });
  }
  return { title, fields, sections };
}

export function findSection(doc: MarkdownDoc, heading: string): Section | undefined {
  const want = normalizeHeading(heading);
  return doc.sections.find((s) => normalizeHeading(s.heading) === want);
}

/** Dashes and spacing vary by editor: "Guardrails - Do NOT" is "Guardrails — Do NOT". */
const normalizeHeading = (h: string) =>
  h
    .toLowerCase()
    .replace(/[—–-]+/g, '-')
    .replace(/\s+/g, ' ')
    .trim();

/** Contents of the fenced code blocks in a body. */
export function fencedBlocks(body: string): string[] {
  const out: string[] = [];
  const re = /^[ \t]*(`{3,}(?!`)|~{3,}(?!~))[^\n]*\n([\s\S]*?)^[ \t]*\1[ \t]*$/gm;
  for (const m of body.matchAll(re)) out.push(m[2] ?? '');
  return out;
}

/** The body with fenced blocks removed. */
export const withoutFences = (body: string) =>
  body.replace(/^[ \t]*(`{3,}(?!`)|~{3,}(?!~))[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, '');

export const isBlank = (body: string) =>
  withoutFences(body).trim() === '' && fencedBlocks(body).every((b) => b.trim() === '');

/** Cells of each Markdown table row, header and separator rows excluded. */
export function tableRows(body: string): string[][] {
  const rows = body
    .split('\n')
    .filter((l) => l.trim().startsWith('|'))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim()),
    );
  return rows.slice(1).filter((cells) => !cells.every((c) => /^:?-{2,}:?$/.test(c)));
}

/** A path written as `path` (backticks) or bare. */
export const unquotePath = (s: string) => s.trim().replace(/^`|`$/g, '').trim();
