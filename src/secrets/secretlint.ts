/**
 * The maintained part of the redaction rules: secretlint's recommended preset (AWS, GCP,
 * GitHub, GitLab, Slack, Stripe, npm, OpenAI, Anthropic, private keys, basic auth,
 * database connection strings, …), run synchronously on text. Its rules only read the
 * text and report ranges, so a small driver stands in for secretlint's async runner.
 * The comment filter rule is left out on purpose: a "secretlint-disable" comment in
 * the text must not switch redaction off.
 */
import { rules } from '@secretlint/secretlint-rule-preset-recommend';

export interface SecretRange {
  start: number;
  end: number;
  /** The rule that found it, e.g. "database-connection-string". */
  kind: string;
}

interface RuleHandlers {
  file?(source: unknown): unknown;
}
interface Rule {
  meta: { id: string; type?: string };
  create(context: unknown, options: unknown): RuleHandlers;
}

const SKIPPED = new Set(['@secretlint/secretlint-rule-filter-comments']);
const RULES = (rules as unknown as Rule[]).filter((r) => !SKIPPED.has(r.meta.id) && r.meta.type !== 'filter');

/** Ranges of `text` that secretlint's recommended rules report as secrets. */
export function secretlintRanges(text: string): SecretRange[] {
  const found: SecretRange[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const source = {
    content: text,
    filePath: '',
    ext: '.txt',
    contentType: 'text',
    indexToPosition(index: number) {
      let line = 0;
      while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= index) line++;
      return { line: line + 1, column: index - lineStarts[line]! };
    },
    locationToRange() {
      return [0, 0];
    },
  };
  for (const rule of RULES) {
    const kind = rule.meta.id.replace('@secretlint/secretlint-rule-', '');
    const context = {
      createTranslator: () => (id: string) => id,
      report: (m: { range?: [number, number] }) => {
        if (m.range && m.range[1] > m.range[0]) found.push({ start: m.range[0], end: m.range[1], kind });
      },
      ignore: () => {},
      sharedOptions: {},
    };
    try {
      const result = rule.create(context, {}).file?.(source);
      // An async rule (PKCS#12 files) reads files by path; text has none: ignore its promise.
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // A rule that cannot read plain text finds nothing; the other rules still run.
    }
  }
  return found;
}
