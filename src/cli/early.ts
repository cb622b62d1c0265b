/**
 * Work that starts before the rest of `mm` is loaded. entry.ts imports this module first,
 * so its body runs before the command table and the handlers are evaluated: `mm check`
 * against HEAD (the hook path) or against `--base REF` starts its git calls here, and git
 * reads the repository while Node loads and compiles the rest. The handler collects them
 * (src/git/git.ts, startEarly); a guess that turns out wrong only costs a git process whose
 * output nobody reads.
 */
import { baseCheckCalls, HEAD_CHECK_CALLS, startEarly } from '../git/git.ts';
import { lazyV8 } from '../util/lazy-builtins.ts';

/** Flags that make `mm check` compare something else, or not compare at all. */
const NOT_AGAINST_HEAD = /^(?:--base(?:=.*)?|--staged|--help|-h|--background)$/;

/**
 * V8 options for `mm check`, a short run whose time goes into one loop over the diff
 * (src/git/diff-parser.ts, src/git/change.ts, src/policy/security-match.ts):
 *  - --no-turbo-inlining: Turbofan compiles that loop with every call in it inlined, in one
 *    graph, on a background thread that competes with git for the second core, and again
 *    after each deoptimisation; without inlining each function is compiled on its own.
 *    Instructions (valgrind, all threads) for a 300-commit `--base` range: gemini-cli −19 %,
 *    caddy −22 %, a generated 10,000-file change −5 % (`--no-opt` instead: −13 %, −21 %, +9 %);
 *  - --no-regexp-tier-up: each regular expression is compiled once, to machine code, instead
 *    of to bytecode first and again to machine code on its second use (most of check's are
 *    used more than once): a 5-file `mm check` −17M instructions (−11 % of what it adds to
 *    `node -e 0`), the large ranges unchanged.
 * Results are the same either way. Set after the early git calls started: a changed flag no
 * longer matches the code cache Node's own modules load from, so node:child_process and the
 * stream modules it needs (loaded by then) would otherwise be compiled from source, ~8 ms.
 * MM_V8_FLAGS replaces them (benchmarks; "" for V8's defaults).
 */
const CHECK_V8_FLAGS = '--no-turbo-inlining --no-regexp-tier-up';

function startEarlyWork(argv: string[], cwd: string): void {
  if (argv[0] !== 'check') return;
  const calls = earlyCalls(argv.slice(1));
  if (!calls) return;
  startEarly(calls, cwd);
  const flags = process.env.MM_V8_FLAGS ?? CHECK_V8_FLAGS;
  if (flags) lazyV8().setFlagsFromString(flags);
}

/** The git calls `mm check` with these arguments makes first (HEAD or --base), or null. */
function earlyCalls(args: string[]): string[][] | null {
  if (!args.some((a) => NOT_AGAINST_HEAD.test(a))) return HEAD_CHECK_CALLS;
  const ref = baseRef(args);
  return ref === undefined ? null : baseCheckCalls(ref);
}

/**
 * `mm check`'s flags that take a value (the command table's, and the global --config), and
 * the ones that take none, as the early start reads them.
 */
const WITH_VALUE = new Set(['--base', '--config', '--debug-cycles']);
const WITHOUT_VALUE = new Set(['--json']);

/**
 * The REF of `mm check --base REF` when the arguments are certainly just that: `--base REF`
 * or `--base=REF` once, beside --json, --config and --debug-cycles. Anything else (--staged,
 * --calibrate, --help, --background, `--`, a second --base, a value that parseArgs would
 * refuse, a flag it does not know) starts nothing: the handler then reads the arguments and
 * does the work itself. baseCheckCalls decides what may reach git.
 */
function baseRef(args: string[]): string | undefined {
  let ref: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (WITHOUT_VALUE.has(arg)) continue;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!WITH_VALUE.has(name)) return undefined;
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    // parseArgs takes "--base -x" for a forgotten value, not for the value "-x".
    if (value === undefined || (eq === -1 && value.startsWith('-'))) return undefined;
    if (name !== '--base') continue;
    if (ref !== undefined) return undefined;
    ref = value;
  }
  return ref;
}

startEarlyWork(process.argv.slice(2), process.cwd());
