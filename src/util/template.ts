/**
 * Fills a prompt template (a Markdown file beside the code that sends it, imported as text:
 * esbuild's text loader in the bundle, a small plugin in vitest, scripts/markdown-text-hooks.mjs
 * under plain Node/tsx). `{{name}}` is a placeholder, replaced verbatim. `{{name?}}` alone on its
 * line is an optional block: an empty value removes the whole line, so a block that is not there
 * leaves no blank line behind. The file's final newline is the file's, not the prompt's.
 *
 * Both directions are errors, thrown here rather than sent: a placeholder with no value, and a
 * value for a placeholder the template does not have (a renamed placeholder, a stale caller).
 */
const PLACEHOLDER = /\{\{([a-z][\w-]*)\??\}\}/gi;
const OPTIONAL_LINE = /^\{\{([a-z][\w-]*)\?\}\}$/i;

export function fillTemplate(template: string, values: Record<string, string> = {}): string {
  const text = template.endsWith('\n') ? template.slice(0, -1) : template;
  const names = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  const missing = [...names].filter((n) => !Object.hasOwn(values, n));
  const which = () => `prompt template "${text.split('\n', 1)[0]!.slice(0, 60)}…"`;
  if (missing.length) throw new Error(`${which()}: no value for {{${missing.join('}}, {{')}}}`);
  const unknown = Object.keys(values).filter((n) => !names.has(n));
  if (unknown.length) throw new Error(`${which()}: has no placeholder {{${unknown.join('}}, {{')}}}`);
  return text
    .split('\n')
    .filter((line) => {
      const alone = OPTIONAL_LINE.exec(line);
      return !alone || values[alone[1]!] !== '';
    })
    .map((line) => line.replace(PLACEHOLDER, (_, name: string) => values[name]!))
    .join('\n');
}
