/**
 * The security score of each of a repository's recent commits, for the per-repository
 * calibration of the security trigger (src/policy/security-calibration.ts). One
 * `git log -p` streams every commit against its parent, each parsed by the same parser
 * and matcher `mm check` uses, so a past commit scores exactly as it would have when it
 * was the change being checked. Merge commits are left out, as in the corpus.
 */
import { SecurityScanner, UnifiedDiffParser } from './change.ts';
import { gitOk, PATCH_OPTIONS } from './git.ts';

/** Marks the start of each commit in the log output; a NUL never appears in a diff line. */
const MARK = '\0commit ';

export interface HistoryScores {
  /** The commit the walk started from (`ref` resolved), newest first in `scores`. */
  head: string;
  scores: { sha: string; score: number }[];
}

export async function historyScores(
  cwd: string,
  opts: { commits: number; ref?: string; skip?: number; patterns?: string[] },
): Promise<HistoryScores> {
  const ref = opts.ref ?? 'HEAD';
  const head = (await gitOk(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd)).trim();
  const scores: { sha: string; score: number }[] = [];
  let sha: string | null = null;
  let scanner: SecurityScanner | null = null;
  let parser: UnifiedDiffParser | null = null;
  const close = () => {
    if (!sha || !parser || !scanner) return;
    parser.finish();
    scores.push({ sha, score: scanner.summary().score });
  };
  let pending = '';
  const take = (text: string) => {
    pending += text;
    for (;;) {
      const at = pending.indexOf(MARK);
      if (at === -1) {
        // Hand over whole lines only: a mark may be split across chunks.
        const cut = pending.lastIndexOf('\n') + 1;
        if (cut > 0 && parser) parser.feed(pending.slice(0, cut));
        if (cut > 0) pending = pending.slice(cut);
        return;
      }
      const end = pending.indexOf('\n', at);
      if (end === -1) return; // the commit id is still arriving
      if (parser && at > 0) parser.feed(pending.slice(0, at));
      close();
      sha = pending.slice(at + MARK.length, end).trim();
      scanner = new SecurityScanner(opts.patterns ?? []);
      parser = new UnifiedDiffParser(scanner);
      pending = pending.slice(end + 1);
    }
  };
  await gitOk(
    [
      'log',
      '--no-merges',
      `-n${opts.commits}`,
      ...(opts.skip ? [`--skip=${opts.skip}`] : []),
      '-p',
      '-U0',
      // The same patch shape as `mm check`'s diff, so a past commit scores as it would have.
      ...PATCH_OPTIONS,
      '--format=%x00commit %H',
      head,
      '--',
    ],
    cwd,
    take,
  );
  if (pending && parser) (parser as UnifiedDiffParser).feed(pending);
  close();
  return { head, scores };
}
