/**
 * Work that starts before the rest of `mm` is loaded. entry.ts imports this module first,
 * so its body runs before the command table and the handlers are evaluated: `mm check`
 * against HEAD (the hook path) starts its git calls here, and git reads the repository while
 * Node loads and compiles the rest. The handler collects them (src/git/git.ts, startEarly);
 * a guess that turns out wrong only costs a git process whose output nobody reads.
 */
import { HEAD_CHECK_CALLS, startEarly } from '../git/git.ts';

/** Flags that make `mm check` compare something else, or not compare at all. */
const NOT_AGAINST_HEAD = /^(?:--base(?:=.*)?|--staged|--help|-h|--background)$/;

function startEarlyWork(argv: string[], cwd: string): void {
  if (argv[0] !== 'check' || argv.some((a) => NOT_AGAINST_HEAD.test(a))) return;
  startEarly(HEAD_CHECK_CALLS, cwd);
}

startEarlyWork(process.argv.slice(2), process.cwd());
