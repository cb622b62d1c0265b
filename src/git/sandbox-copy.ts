/**
 * A secret-free copy of the user's working state for a model that may write and run
 * things (the debug sandbox). Unlike a clone (scratch-worktree.ts) it carries no git
 * history: a clone's objects would hold every committed .env, and `git show` would
 * reveal them. Instead the files git sees (tracked plus untracked, not ignored, as they
 * are on disk now, uncommitted edits included) are copied, secret paths left out, into
 * a fresh repository whose one commit is the base snapshot; the model's work is then
 * exactly `git diff <base>`. Always removed afterwards, on Ctrl-C too.
 */
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { onInterrupt } from '../process/runner.ts';
import { isSecretFile } from '../secrets/paths.ts';
import { MmError } from '../util/errors.ts';
import { gitOk } from './git.ts';
import { ownedTempDir } from './temp-clones.ts';

const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];
const AS_MM = ['-c', 'user.name=mm', '-c', 'user.email=mm@localhost', '-c', 'commit.gpgsign=false'];
export const SANDBOX_PREFIX = 'mm-sandbox-';

export interface SandboxCopy {
  /** The copy's top (stands for the repository's top). */
  dir: string;
  /** The base snapshot commit in the copy. */
  base: string;
  /** Paths left out, with why (never their content). */
  withheld: string[];
  /** How many files were copied. */
  copied: number;
  /** A private temp folder beside the copy (outside it, so never in the patch); removed with it. */
  tmp: string;
}

export interface SandboxChange {
  /** `git diff --binary` against the base: what the model changed, for review. */
  patch: string;
  files: string[];
}

export interface SandboxOptions {
  /**
   * Untracked paths of the repository (e.g. node_modules) symlinked into the copy so the
   * model can run things, never copied and never part of the patch. Codex's sandbox
   * resolves links before it allows a write, so they stay read-only to it.
   */
  links?: string[];
  tempRoot?: string;
}

export async function withSandboxCopy<T>(
  repo: string,
  isSecret: (path: string) => boolean,
  work: (copy: SandboxCopy) => Promise<T>,
  opts: SandboxOptions = {},
): Promise<T> {
  const base = ownedTempDir(opts.tempRoot ?? tmpdir(), SANDBOX_PREFIX);
  const removeAll = () => rmSync(base, { recursive: true, force: true });
  const offInterrupt = onInterrupt(removeAll);
  try {
    const tmp = join(base, 'tmp');
    mkdirSync(tmp);
    const copy = { ...(await makeCopy(repo, join(base, 'tree'), isSecret, opts.links ?? [])), tmp };
    return await work(copy);
  } finally {
    offInterrupt();
    removeAll();
  }
}

async function makeCopy(
  repo: string,
  dir: string,
  isSecret: (path: string) => boolean,
  links: string[],
): Promise<Omit<SandboxCopy, 'tmp'>> {
  const listed = (await gitOk(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repo))
    .split('\0')
    .filter(Boolean);
  const withheld: string[] = [];
  let copied = 0;
  mkdirSync(dir, { recursive: true });
  for (const path of [...new Set(listed)].sort()) {
    const from = join(repo, path);
    let stat;
    try {
      stat = lstatSync(from);
    } catch {
      continue; // deleted in the working tree: the copy lacks it too
    }
    // By name, and for a link by where it points (notes.txt → .env is the .env file).
    if (isSecretFile(isSecret, repo, path)) {
      withheld.push(`${path} (secret path)`);
      continue;
    }
    const to = join(dir, path);
    mkdirSync(dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) {
      const target = readlinkSync(from);
      const inside = relative(repo, resolve(dirname(from), target));
      if (inside.startsWith('..') || isAbsolute(inside)) {
        withheld.push(`${path} (link to outside the repository)`);
        continue;
      }
      symlinkSync(target, to);
    } else if (stat.isFile()) {
      copyFileSync(from, to); // keeps the mode (an executable script stays executable)
    } else continue; // a submodule's folder: not copied
    copied++;
  }
  const linked = links.map((l) => {
    const abs = resolve(repo, l);
    const rel = relative(repo, abs);
    if (!rel || rel.startsWith('..') || isAbsolute(rel) || !existsSync(abs))
      throw new MmError('input', `--link ${l}: no such path inside the repository`);
    if (isSecret(rel)) throw new MmError('input', `--link ${l}: a secret path is never linked into the sandbox`);
    const to = join(dir, rel);
    if (!existsSync(to)) {
      mkdirSync(dirname(to), { recursive: true });
      symlinkSync(abs, to);
    }
    return rel;
  });
  await gitOk([...NO_HOOKS, 'init', '--quiet', '--template=', dir], dir);
  // The links are the user's, not the model's work: never in the snapshot or the patch.
  if (linked.length) {
    mkdirSync(join(dir, '.git', 'info'), { recursive: true });
    writeFileSync(join(dir, '.git', 'info', 'exclude'), linked.map((l) => `/${l}\n`).join(''));
  }
  await gitOk(['add', '-A', '.'], dir);
  await gitOk([...NO_HOOKS, ...AS_MM, 'commit', '-q', '--allow-empty', '--no-verify', '-m', 'mm: base snapshot'], dir);
  const base = (await gitOk(['rev-parse', 'HEAD'], dir)).trim();
  return { dir, base, withheld, copied };
}

/** Everything changed in the copy since its base (committed or not, new files included). */
export async function changeInCopy(copy: SandboxCopy): Promise<SandboxChange> {
  await gitOk(['add', '-A', '.'], copy.dir);
  const range = ['--cached', '--no-renames', copy.base, '--', '.'];
  const [patch, names] = await Promise.all([
    gitOk(['diff', '--binary', ...range], copy.dir),
    gitOk(['diff', '--name-only', '-z', ...range], copy.dir),
  ]);
  return { patch, files: names.split('\0').filter(Boolean) };
}
