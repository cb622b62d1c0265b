/**
 * `mm init`: copy the pack into a project's `.claude/` without touching the user's files.
 * A file that exists and differs is kept (skipped); CLAUDE.md gets the "Multi-Model
 * Integration" section appended when it lacks one (merged). Planning is separate from
 * applying so `--dry-run` shows exactly what would happen.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { writeFileAtomic, writeFileNoClobber } from '../util/atomic-write.ts';

/**
 * The parts of `.claude/` that make up the pack (not run state, not repo-only notes). The
 * runtime goes with it, so the copied pack runs `mm` with nothing else installed.
 */
const PACK_DIRS = ['skills', 'agents', 'commands', 'specs', 'config', 'scripts', 'hooks', 'runtime'] as const;
const CLAUDE_MD_SECTION = '## Multi-Model Integration';

export interface PackSource {
  pack: string;
  claudeMd: string;
}

export type ActionKind = 'create' | 'skip' | 'unchanged' | 'merge';

export interface InstallAction {
  kind: ActionKind;
  /** Relative to the target project, with forward slashes. */
  path: string;
  reason: string;
  /** Content to write (create/merge). */
  content?: string;
  /** merge: the file as planned on; a file changed since is not merged over. */
  base?: string;
  executable?: boolean;
}

/** `pack`: the folder copied into `<target>/.claude/`; `claudeMd`: whose section is merged. */
export function planInstall({ pack: source, claudeMd }: PackSource, target: string): InstallAction[] {
  const actions: InstallAction[] = [];
  for (const dir of PACK_DIRS) {
    const from = join(source, dir);
    if (!existsSync(from)) continue;
    for (const file of walk(from)) {
      const relPath = ['.claude', ...relative(source, file).split(sep)].join('/');
      const dest = join(target, relPath);
      const content = readFileSync(file, 'utf8');
      const executable = (statSync(file).mode & 0o111) !== 0;
      if (!existsSync(dest)) actions.push({ kind: 'create', path: relPath, reason: 'new', content, executable });
      else if (readFileSync(dest, 'utf8') === content)
        actions.push({ kind: 'unchanged', path: relPath, reason: 'already up to date' });
      else actions.push({ kind: 'skip', path: relPath, reason: 'exists and differs: your file is kept' });
    }
  }
  const section = claudeMdSection(claudeMd);
  if (section) {
    const dest = join(target, 'CLAUDE.md');
    if (!existsSync(dest))
      actions.push({ kind: 'create', path: 'CLAUDE.md', reason: 'new', content: `# CLAUDE.md\n\n${section}` });
    else {
      const existing = readFileSync(dest, 'utf8');
      if (existing.includes(CLAUDE_MD_SECTION))
        actions.push({ kind: 'skip', path: 'CLAUDE.md', reason: `already has "${CLAUDE_MD_SECTION.slice(3)}"` });
      else
        actions.push({
          kind: 'merge',
          path: 'CLAUDE.md',
          reason: `appends the "${CLAUDE_MD_SECTION.slice(3)}" section`,
          content: `${existing.replace(/\s*$/, '\n')}\n${section}`,
          base: existing,
        });
    }
  }
  return actions;
}

/**
 * Writes the planned files and returns the actions as carried out. The plan is only a
 * snapshot: a file created after it is never replaced (link(2) no-clobber, not rename),
 * and a CLAUDE.md changed after it is not merged over; both become "skip".
 */
export function applyInstall(target: string, actions: InstallAction[]): InstallAction[] {
  return actions.map((a) => {
    if ((a.kind !== 'create' && a.kind !== 'merge') || a.content === undefined) return a;
    const dest = join(target, a.path);
    if (a.kind === 'create') {
      if (!writeFileNoClobber(dest, a.content, { mode: a.executable ? 0o755 : 0o644 })) {
        return { kind: 'skip', path: a.path, reason: 'appeared after planning: your file is kept' };
      }
    } else {
      // A merge must replace the file; re-reading first narrows the race to the rename itself.
      if (!existsSync(dest) || readFileSync(dest, 'utf8') !== a.base)
        return { kind: 'skip', path: a.path, reason: 'changed after planning: not merged, your file is kept' };
      writeFileAtomic(dest, a.content, { mode: 0o644 });
    }
    if (a.executable) chmodSync(dest, 0o755);
    return a;
  });
}

/** The section of the pack's own CLAUDE.md from its heading to the end of the file. */
function claudeMdSection(file: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(CLAUDE_MD_SECTION);
  return at < 0 ? null : text.slice(at).replace(/\s*$/, '\n');
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
