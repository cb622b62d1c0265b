/**
 * The pack lint: every skill, agent and command under `.claude/` is checked for valid
 * frontmatter, names, narrow tools, live links and referenced files, `mm` commands and flags
 * that exist in the command table, and the always-loaded description budget.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { GLOBAL_FLAGS, mergeFlags, type CommandSpec } from '../cli/spec.ts';
import { findMmInvocations, findPathRefs, scanMarkdown } from './markdown.ts';
import { checkMmPermissions } from './permissions.ts';
import { KNOWN_TOOLS, SCHEMAS, WRITING_TOOLS, splitTools, type Kind } from './schemas.ts';
import { estimateTokens } from '../util/tokens.ts';

const DESCRIPTION_BUDGET_TOKENS = 1500;
/** The Agent Skills guidance: keep SKILL.md lean, details in references. */
const SKILL_MAX_LINES = 500;

export interface Problem {
  /** Relative to the linted root. */
  file: string;
  line: number;
  /** 1-based; known for frontmatter problems (the yaml parser's positions). */
  column?: number;
  message: string;
}

interface BudgetItem {
  file: string;
  kind: Kind;
  name: string;
  tokens: number;
}

export interface LintResult {
  problems: Problem[];
  budget: { tokens: number; limit: number; items: BudgetItem[] };
  files: number;
}

export interface LintOptions {
  /** The `mm` command table the pack's commands and flags are checked against (passed in: the lint sits below the CLI). */
  commands: readonly CommandSpec[];
  budgetTokens?: number;
}

/** Files exempt from the code checks (`mm` commands, referenced files): they list what is not there yet. */
const CODE_CHECK_EXEMPT = new Set(['.claude/PENDING.md']);

export function lintPack(root: string, opts: LintOptions): LintResult {
  const commands = opts.commands;
  const limit = opts.budgetTokens ?? DESCRIPTION_BUDGET_TOKENS;
  const problems: Problem[] = [];
  const items: BudgetItem[] = [];
  const claudeDir = join(root, '.claude');
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const report: Report = (file, line, message, column) =>
    problems.push({ file: rel(file), line, ...(column ? { column } : {}), message });

  if (!existsSync(claudeDir)) {
    report(claudeDir, 1, 'no .claude/ folder: nothing to lint');
    return { problems, budget: { tokens: 0, limit, items }, files: 0 };
  }

  // Not run state (mm/) nor the built runtime (runtime/: copies of files linted at their source).
  const markdown = listFiles(
    claudeDir,
    (p) => p.endsWith('.md') && !p.includes(`${sep}mm${sep}`) && !p.startsWith(join(claudeDir, 'runtime', '')),
  );
  if (existsSync(join(root, 'CLAUDE.md'))) markdown.push(join(root, 'CLAUDE.md'));

  for (const file of markdown) {
    const kind = kindOf(claudeDir, file);
    const source = readFileSync(file, 'utf8');
    let body = source;
    let bodyLine = 1;
    if (kind) {
      const parsed = parseFrontmatter(source);
      if ('error' in parsed) {
        report(file, parsed.line, parsed.error, parsed.column);
        continue;
      }
      body = parsed.body;
      bodyLine = parsed.bodyLine;
      checkFrontmatter(kind, file, parsed.data, parsed.keys, report, items, rel);
      if (kind === 'skill' && source.split('\n').length > SKILL_MAX_LINES) {
        report(
          file,
          SKILL_MAX_LINES,
          `SKILL.md is longer than ${SKILL_MAX_LINES} lines: move details to a reference file one level deep`,
        );
      }
      const toolsKey = kind === 'agent' ? 'tools' : 'allowed-tools';
      const granted = parsed.data[toolsKey];
      for (const message of checkMmPermissions(
        body,
        scanMarkdown(body, bodyLine).code,
        typeof granted === 'string' || Array.isArray(granted) ? splitTools(granted as string | string[]) : [],
        toolsKey,
      ))
        report(file, parsed.keys.get(toolsKey)?.value.line ?? 1, message, parsed.keys.get(toolsKey)?.value.column);
      if (kind !== 'agent' && /\$ARGUMENTS\b/.test(body) && parsed.data['argument-hint'] === undefined) {
        report(file, 1, `${kind} uses $ARGUMENTS but has no argument-hint`);
      }
    }
    checkBody(
      file,
      body,
      bodyLine,
      kind,
      { root, claudeDir, commands: [...commands], exemptCode: CODE_CHECK_EXEMPT.has(rel(file)) },
      report,
    );
  }

  checkSkillFolders(claudeDir, report);
  checkPluginAgents(claudeDir, report, rel);
  checkConfigCopy(root, report);

  const tokens = items.reduce((sum, i) => sum + i.tokens, 0);
  if (tokens > limit) {
    const top = [...items].sort((a, b) => b.tokens - a.tokens).slice(0, 3);
    report(
      claudeDir,
      1,
      `description budget exceeded: ${tokens} tokens of always-loaded descriptions > ${limit} (largest: ${top.map((t) => `${t.name} ${t.tokens}`).join(', ')})`,
    );
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { problems, budget: { tokens, limit, items }, files: markdown.length };
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}: ${p.message}`).join('\n');
}

// ---------------------------------------------------------------------------

type Report = (file: string, line: number, message: string, column?: number) => void;

function listFiles(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, keep));
    else if (entry.isFile() && keep(path)) out.push(path);
  }
  return out;
}

/** skills/<name>/SKILL.md, agents/**.md, commands/*.md; anything else is a plain document. */
function kindOf(claudeDir: string, file: string): Kind | null {
  const parts = relative(claudeDir, file).split(sep);
  if (parts[0] === 'skills' && parts.length === 3 && parts[2] === 'SKILL.md') return 'skill';
  if (parts[0] === 'agents' && parts.length >= 2 && parts.at(-1) !== 'README.md') return 'agent';
  if (parts[0] === 'commands' && parts.length === 2 && parts[1] !== 'README.md') return 'command';
  return null;
}

/** Where a frontmatter key and its value start in the file (1-based). */
interface KeyPosition {
  line: number;
  column: number;
  value: { line: number; column: number };
}

type Parsed =
  | { data: Record<string, unknown>; body: string; bodyLine: number; keys: Map<string, KeyPosition> }
  | { error: string; line: number; column?: number };

/**
 * The `---` block at the top of a skill, agent or command, parsed with `yaml` so every key
 * and value keeps its position: problems name file:line:col in the file itself.
 */
export function parseFrontmatter(source: string): Parsed {
  const lines = source.split('\n');
  if (lines[0]?.trimEnd() !== '---')
    return { error: 'missing YAML frontmatter (the file must start with ---)', line: 1 };
  const close = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  if (close < 0) return { error: 'frontmatter is not closed with ---', line: 1 };
  // The block starts on line 2 of the file.
  const at = (pos: { line: number; col: number }) => ({ line: pos.line + 1, column: pos.col });
  const counter = new LineCounter();
  const doc = parseDocument(lines.slice(1, close).join('\n'), { lineCounter: counter });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    return {
      // The message's own "at line 1, column 14" counts from the block, not the file: dropped.
      error: `frontmatter is not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:$/, '')}`,
      ...(pos ? at(pos) : { line: 2 }),
    };
  }
  const bodyLine = close + 2;
  const body = lines.slice(bodyLine - 1).join('\n');
  if (doc.contents === null) return { data: {}, body, bodyLine, keys: new Map() };
  if (!isMap(doc.contents)) {
    const pos = at(counter.linePos(doc.contents.range?.[0] ?? 0));
    return { error: 'frontmatter must be "key: value" lines', ...pos };
  }
  const keys = new Map<string, KeyPosition>();
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const keyStart = pair.key.range?.[0] ?? 0;
    const valueNode = pair.value as { range?: [number, number, number] } | null;
    keys.set(String(pair.key.value), {
      ...at(counter.linePos(keyStart)),
      value: at(counter.linePos(valueNode?.range?.[0] ?? keyStart)),
    });
  }
  return { data: (doc.toJS() ?? {}) as Record<string, unknown>, body, bodyLine, keys };
}

function checkFrontmatter(
  kind: Kind,
  file: string,
  data: Record<string, unknown>,
  keys: Map<string, KeyPosition>,
  report: Report,
  items: BudgetItem[],
  rel: (p: string) => string,
): void {
  // A problem with a key points at the key; one with its value, at the value.
  const atKey = (message: string, key: string) => {
    const k = keys.get(key);
    report(file, k?.line ?? 1, message, k?.column);
  };
  const atValue = (message: string, key: string) => {
    const k = keys.get(key);
    report(file, k?.value.line ?? 1, message, k?.value.column);
  };
  const result = SCHEMAS[kind].safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) atKey(`${kind} frontmatter: unknown key "${k}"`, k);
      } else atValue(`${kind} frontmatter: ${key ? `${key}: ` : ''}${issue.message}`, key);
    }
  }
  const name = typeof data.name === 'string' ? data.name : undefined;
  const description = typeof data.description === 'string' ? data.description.trim() : '';
  const expected = kind === 'skill' ? basename(dirname(file)) : basename(file, '.md');
  if (kind !== 'command' && name !== undefined && name !== expected) {
    atValue(`${kind} name "${name}" must equal its ${kind === 'skill' ? 'folder' : 'file'} name "${expected}"`, 'name');
  }
  if (kind === 'command' && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(expected)) {
    report(file, 1, `command file name "${expected}" must be lower-case a-z, 0-9 and hyphens`);
  }
  if (kind !== 'command' && description && !/^use when\b/i.test(description)) {
    atValue(
      `${kind} description must start with "Use when …" and name triggers, not summarise the workflow`,
      'description',
    );
  }
  const toolsKey = kind === 'agent' ? 'tools' : 'allowed-tools';
  const tools = data[toolsKey];
  if (typeof tools === 'string' || Array.isArray(tools)) {
    const list = splitTools(tools as string | string[]);
    for (const tool of list) {
      const base = /^([A-Z]+)/i.exec(tool)?.[1] ?? tool;
      if (tool === '*' || !KNOWN_TOOLS.has(base))
        atValue(`${toolsKey}: unknown or over-broad tool "${tool}"`, toolsKey);
      else if (base === 'Bash' && !/^Bash\(.+\)$/.test(tool))
        atValue(`${toolsKey}: unscoped Bash grants every command; scope it, e.g. Bash(git diff:*)`, toolsKey);
    }
    if (kind === 'command' && list.some((t) => WRITING_TOOLS.has(t)) && data['disable-model-invocation'] !== true) {
      atValue('command grants file-writing tools: set disable-model-invocation: true (user-invoked only)', toolsKey);
    }
  }
  if (description)
    items.push({
      file: rel(file),
      kind,
      name: name ?? expected,
      tokens: estimateTokens(`${name ?? expected}: ${description}`),
    });
}

interface BodyContext {
  root: string;
  claudeDir: string;
  commands: CommandSpec[];
  exemptCode: boolean;
}

function checkBody(
  file: string,
  body: string,
  firstLine: number,
  kind: Kind | null,
  ctx: BodyContext,
  report: Report,
): void {
  const { links, code } = scanMarkdown(body, firstLine);
  for (const link of links) {
    const target = link.text;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const resolved = resolve(dirname(file), decodeURI(path));
    if (CODE_CHECK_EXEMPT.has(relative(ctx.root, resolved).split(sep).join('/'))) {
      report(file, link.line, `links to ${target}: it is a maintainers' TODO list, not part of the pack`);
      continue;
    }
    if (!existsSync(resolved)) {
      report(file, link.line, `dead link: ${target} (no such file)`);
      continue;
    }
    if (
      anchor &&
      resolved.endsWith('.md') &&
      statSync(resolved).isFile() &&
      !headingSlugs(readFileSync(resolved, 'utf8')).has(anchor)
    ) {
      report(file, link.line, `dead link: ${target} (no heading "#${anchor}")`);
    }
  }
  const skillDir = kind === 'skill' || isInSkillDir(ctx.claudeDir, file) ? skillFolderOf(ctx.claudeDir, file) : null;
  for (const segment of code) {
    if (ctx.exemptCode) continue;
    for (const ref of findPathRefs(segment)) {
      let resolved: string;
      // Outside a skill (docs describing the mechanism) resolve as from any skill folder.
      if (ref.startsWith('${CLAUDE_SKILL_DIR}'))
        resolved = join(
          skillDir ?? join(ctx.claudeDir, 'skills', 'any-skill'),
          ref.slice('${CLAUDE_SKILL_DIR}'.length),
        );
      else if (ref.startsWith('${CLAUDE_PLUGIN_ROOT}'))
        resolved = join(ctx.claudeDir, ref.slice('${CLAUDE_PLUGIN_ROOT}'.length));
      else resolved = join(ctx.root, ref);
      if (!existsSync(resolved)) report(file, segment.line, `referenced file does not exist: ${ref}`);
    }
    for (const inv of findMmInvocations(segment)) checkMm(file, inv, ctx.commands, report);
  }
}

function checkMm(
  file: string,
  inv: ReturnType<typeof findMmInvocations>[number],
  commands: CommandSpec[],
  report: Report,
): void {
  let spec: CommandSpec | undefined;
  for (let n = Math.min(3, inv.words.length); n > 0 && !spec; n--) {
    const name = inv.words.slice(0, n).join(' ');
    spec = commands.find((c) => c.name === name);
  }
  if (!spec) {
    if (inv.words.length === 0 || inv.words[0] === 'help') {
      for (const f of inv.flags) {
        if (!GLOBAL_FLAGS.some((g) => g.name === f) && f !== 'version')
          report(file, inv.line, `\`${inv.text}\`: unknown flag --${f} (not in mm's command table)`);
      }
      return;
    }
    // A bare group name (`mm config`) prints the group's help.
    const group = commands.filter((c) => c.name.startsWith(`${inv.words[0]} `));
    if (group.length > 0 && inv.words.length === 1) return;
    report(
      file,
      inv.line,
      `\`${inv.text}\`: unknown mm command "${inv.words.join(' ')}" (see mm --help; list pending commands in .claude/PENDING.md)`,
    );
    return;
  }
  const known = new Set(mergeFlags(spec.flags).map((f) => f.name));
  for (const f of inv.flags) {
    if (!known.has(f))
      report(file, inv.line, `\`${inv.text}\`: unknown flag --${f} for "mm ${spec.name}" (not in mm's command table)`);
  }
}

function isInSkillDir(claudeDir: string, file: string): boolean {
  const parts = relative(claudeDir, file).split(sep);
  return parts[0] === 'skills' && parts.length >= 3 && existsSync(join(claudeDir, 'skills', parts[1]!, 'SKILL.md'));
}

function skillFolderOf(claudeDir: string, file: string): string {
  const parts = relative(claudeDir, file).split(sep);
  return join(claudeDir, 'skills', parts[1]!);
}

/** "Title ##" → "Title": an ATX heading's optional closing run (after a space). */
function withoutClosingHashes(text: string): string {
  const t = text.trimEnd();
  const open = t.replace(/#+$/, '');
  return open === t || !/[ \t]$/.test(open) ? t : open.trimEnd();
}

/** GitHub-style heading anchors. */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}[ \t]+(\S.*)$/gm)) {
    slugs.add(
      withoutClosingHashes(m[1]!)
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    );
  }
  return slugs;
}

/** A folder under skills/ without SKILL.md must hold guides only (no nested skills). */
function checkSkillFolders(claudeDir: string, report: (file: string, line: number, message: string) => void): void {
  const skillsDir = join(claudeDir, 'skills');
  if (!existsSync(skillsDir)) return;
  for (const entry of readdirSync(skillsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(skillsDir, entry.name);
    if (existsSync(join(dir, 'SKILL.md'))) continue;
    for (const nested of listFiles(dir, (p) => basename(p) === 'SKILL.md')) {
      report(
        nested,
        1,
        'SKILL.md nested below skills/<name>/ is never discovered; move the skill to skills/<name>/SKILL.md',
      );
    }
  }
}

/** plugin.json lists agents explicitly (nested folders): every agent file must be listed. */
function checkPluginAgents(claudeDir: string, report: Report, rel: (p: string) => string): void {
  const manifest = join(claudeDir, '.claude-plugin', 'plugin.json');
  const agentsDir = join(claudeDir, 'agents');
  if (!existsSync(manifest) || !existsSync(agentsDir)) return;
  let listed: unknown;
  try {
    listed = (JSON.parse(readFileSync(manifest, 'utf8')) as { agents?: unknown }).agents;
  } catch (e) {
    report(manifest, 1, `plugin.json is not valid JSON: ${(e as Error).message}`);
    return;
  }
  if (!Array.isArray(listed)) return;
  const paths = new Set(listed.map((p) => resolve(claudeDir, String(p))));
  for (const p of paths) if (!existsSync(p)) report(manifest, 1, `plugin.json lists a missing agent: ${rel(p)}`);
  for (const agent of listFiles(agentsDir, (p) => p.endsWith('.md'))) {
    if (!paths.has(agent))
      report(manifest, 1, `plugin.json "agents" does not list ${rel(agent)} (the plugin would not load it)`);
  }
}

/** The pack's config must be the template `mm config init` writes. */
function checkConfigCopy(root: string, report: (file: string, line: number, message: string) => void): void {
  const template = join(root, 'templates', 'multi-model.toml');
  const copy = join(root, '.claude', 'config', 'multi-model.toml');
  if (!existsSync(template)) return;
  if (!existsSync(copy)) {
    report(copy, 1, 'missing: copy templates/multi-model.toml here');
    return;
  }
  const a = readFileSync(template, 'utf8').split('\n');
  const b = readFileSync(copy, 'utf8').split('\n');
  const first = a.findIndex((l, i) => l !== b[i]);
  if (first >= 0 || a.length !== b.length) {
    report(
      copy,
      (first >= 0 ? first : Math.min(a.length, b.length)) + 1,
      'differs from templates/multi-model.toml: run cp templates/multi-model.toml .claude/config/multi-model.toml',
    );
  }
}
