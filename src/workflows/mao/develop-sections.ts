/**
 * `/develop 2, 3`: the numbered sections of a plan document. A section starts at a
 * Markdown heading whose title begins with its number ("## 2. Storage", "### 3 Tests",
 * "## Section 2: …") and runs to the next heading of the same or a higher level.
 */
import { MmError } from '../../util/errors.ts';

export interface PlanSection {
  number: number;
  title: string;
  /** 1-based line of the heading. */
  line: number;
  text: string;
}

/** "2.", "2)", "2:" or a bare "2" — not "2.1", a subsection. */
const HEADING = /^(#{1,6})\s+(?:section\s+)?(\d+)[.):]?(?:[ \t]+(\S.*)?)?$/i;

export function planSections(markdown: string): PlanSection[] {
  const lines = markdown.split('\n');
  const found: Array<{ level: number; number: number; title: string; index: number }> = [];
  lines.forEach((l, index) => {
    const m = HEADING.exec(l);
    if (m) found.push({ level: m[1]!.length, number: Number(m[2]), title: (m[3] ?? '').trim(), index });
  });
  return found.map((h) => {
    let end = lines.length;
    for (let i = h.index + 1; i < lines.length; i++) {
      const m = /^(#{1,6})\s/.exec(lines[i]!);
      if (m && m[1]!.length <= h.level) {
        end = i;
        break;
      }
    }
    return { number: h.number, title: h.title, line: h.index + 1, text: lines.slice(h.index, end).join('\n').trim() };
  });
}

/** "2,3", "2, 3", "2-4" (repeatable flag values joined) → [2, 3, 4]. */
export function parseSectionList(values: string[]): number[] {
  const out: number[] = [];
  for (const part of values
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range && Number(range[1]) <= Number(range[2])) {
      for (let n = Number(range[1]); n <= Number(range[2]); n++) out.push(n);
    } else if (/^\d+$/.test(part)) out.push(Number(part));
    else
      throw new MmError(
        'usage',
        `--sections "${values.join(',')}": "${part}" is not a section number (e.g. --sections 2,3)`,
      );
  }
  if (out.length === 0)
    throw new MmError('usage', '--sections needs at least one section number (e.g. --sections 2,3)');
  return [...new Set(out)];
}

/** The task text for the chosen sections of a plan; an unknown number names the file and what it has. */
export function sectionsTask(
  markdown: string,
  file: string,
  numbers: number[],
): { task: string; sections: PlanSection[] } {
  const all = planSections(markdown);
  if (all.length === 0) throw new MmError('input', `${file}: no numbered sections (headings like "## 2. Storage")`);
  const chosen = numbers.map((n) => {
    const s = all.find((x) => x.number === n);
    if (!s)
      throw new MmError(
        'input',
        `${file}: no section ${n}; it has ${all.map((x) => `${x.number} (line ${x.line})`).join(', ')}`,
      );
    return s;
  });
  return {
    task: [`Sections ${numbers.join(', ')} of the plan ${file}:`, '', ...chosen.map((s) => s.text)].join('\n\n'),
    sections: chosen,
  };
}
