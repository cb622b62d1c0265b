/**
 * Permissions that match: a command's `allowed-tools`, a skill's `allowed-tools` and an
 * agent's `tools` must allow exactly the `mm` invocations the body tells Claude to run, in
 * every launcher form the body names — `mm` on PATH, the copied pack's `.claude/scripts/mm`,
 * and the plugin's `${CLAUDE_PLUGIN_ROOT}/scripts/mm` or `${CLAUDE_SKILL_DIR}/../../scripts/mm`
 * (Claude Code substitutes both in frontmatter too, so the rule matches the absolute path the
 * model types). A rule missing means a permission prompt or denial; an extra one is a grant
 * the file never needed.
 */
import { findMmInvocations, type Located } from './markdown.ts';

/** Launcher spellings, as they appear in bodies and in `Bash(…)` rules. */
const LAUNCHERS = [
  '${CLAUDE_SKILL_DIR}/../../scripts/mm',
  '${CLAUDE_PLUGIN_ROOT}/scripts/mm',
  '.claude/scripts/mm',
  'mm',
] as const;

interface Rule {
  launcher: string;
  /** The subcommand the rule is limited to; null = every `mm` command. */
  sub: string | null;
  tool: string;
}

/** `Bash(<launcher>[ <sub>][:*| *])` → the rule, or null for a Bash rule about something else. */
function parseRule(tool: string): Rule | null | 'unknown-mm' {
  const m = /^Bash\((.+)\)$/.exec(tool);
  if (!m) return null;
  const pattern = m[1]!.replace(/(:\*| \*)$/, '').trim();
  for (const launcher of LAUNCHERS) {
    if (pattern === launcher) return { launcher, sub: null, tool };
    if (pattern.startsWith(`${launcher} `))
      return { launcher, sub: pattern.slice(launcher.length + 1).split(' ')[0]!, tool };
  }
  return /(?:^|\/)mm(?: |$)/.test(pattern) ? 'unknown-mm' : null;
}

/** Problems with the `mm` rules in `tools` for a body whose code segments are `code`. */
export function checkMmPermissions(body: string, code: Located[], tools: string[], key: string): string[] {
  const subs = new Set<string>();
  for (const segment of code) for (const inv of findMmInvocations(segment)) if (inv.words[0]) subs.add(inv.words[0]);
  const named = LAUNCHERS.filter((l) => l === 'mm' || body.includes(l));
  const rules: Rule[] = [];
  const problems: string[] = [];
  for (const tool of tools) {
    const rule = parseRule(tool);
    if (rule === 'unknown-mm') problems.push(`${key}: "${tool}" is not a launcher form the pack uses`);
    else if (rule) rules.push(rule);
  }
  if (subs.size === 0) {
    for (const r of rules) problems.push(`${key}: "${r.tool}" allows mm, but the body runs no mm command`);
    return problems;
  }
  for (const launcher of named) {
    const missing = [...subs].filter(
      (sub) => !rules.some((r) => r.launcher === launcher && (r.sub === null || r.sub === sub)),
    );
    if (missing.length)
      problems.push(
        `${key}: does not allow ${missing.map((s) => `"${launcher} ${s}"`).join(', ')} that the body runs: add Bash(${launcher}:*)`,
      );
  }
  for (const r of rules) {
    if (!named.includes(r.launcher as (typeof LAUNCHERS)[number]))
      problems.push(`${key}: "${r.tool}" allows a launcher the body never names`);
    else if (r.sub !== null && !subs.has(r.sub))
      problems.push(`${key}: "${r.tool}" allows "mm ${r.sub}", which the body never runs`);
  }
  return problems;
}
