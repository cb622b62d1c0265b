/**
 * Phase 5's conflicts: two workstreams writing the same file, or declaring the same
 * exported symbol in different files. Settled by tests where tests can decide — each
 * version of the file is a referee candidate on top of everything else collected, and
 * `[develop] verify` is the test command (design §4.5: tests decide, not reputation) —
 * else by the synthesiser (Claude through the API or its CLI), which answers one merged
 * version. Whatever settles it, the report says how.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import { extractCandidate } from '../fanout/materialize.ts';
import { writeRunFile } from '../../runs/store.ts';
import { runReferee } from '../referee/referee.ts';
import { fillTemplate } from '../../util/template.ts';
import fileTemplate from './prompts/conflict-file.md';
import symbolTemplate from './prompts/conflict-symbol.md';
import synthesisTemplate from './prompts/conflict-synthesis.md';
import versionTemplate from './prompts/conflict-version.md';

/** What one workstream wrote: path → content as it stood after its write. */
export interface Written {
  workstream: string;
  files: Record<string, string>;
  /**
   * The plan section it belongs to. Workstreams of different sections never conflict: a
   * later section runs after, and builds on, the earlier one — its version stands.
   */
  group?: string | null;
}

export interface Conflict {
  kind: 'file' | 'symbol';
  /** The file both wrote (kind file), or the files declaring the symbol (kind symbol). */
  file: string;
  files?: string[];
  symbol?: string;
  /** The workstreams involved, in stage order. */
  workstreams: string[];
  settled_by: 'referee' | 'synthesizer' | 'unsettled';
  /** The workstream whose version the referee kept. */
  winner?: string;
  referee_run?: string;
  synthesizer?: string;
  reason: string;
}

type Detected = Pick<Conflict, 'kind' | 'file' | 'files' | 'symbol' | 'workstreams'>;

const EXPORTED = [
  /^export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm,
  /^(?:def|class)\s+([A-Za-z_]\w*)/gm,
];

/** Top-level exported names (TS/JS `export …`, Python top-level def/class). */
export function exportedSymbols(content: string): string[] {
  return [...new Set(EXPORTED.flatMap((re) => [...content.matchAll(re)].map((m) => m[1]!)))];
}

export function detectConflicts(written: Written[]): Detected[] {
  const groups = [...new Set(written.map((w) => w.group ?? null))];
  return groups.flatMap((g) => detectInGroup(written.filter((w) => (w.group ?? null) === g)));
}

function detectInGroup(written: Written[]): Detected[] {
  const writers = new Map<string, string[]>();
  for (const w of written)
    for (const f of Object.keys(w.files)) writers.set(f, [...(writers.get(f) ?? []), w.workstream]);
  const conflicts: Detected[] = [...writers]
    .filter(([, ws]) => ws.length > 1)
    .map(([file, workstreams]) => ({ kind: 'file', file, workstreams }));
  // The same exported name declared by two workstreams in two different files.
  const declared = new Map<string, Array<{ workstream: string; file: string }>>();
  for (const w of written)
    for (const [file, content] of Object.entries(w.files))
      for (const s of exportedSymbols(content))
        declared.set(s, [...(declared.get(s) ?? []), { workstream: w.workstream, file }]);
  for (const [symbol, where] of declared) {
    const files = [...new Set(where.map((x) => x.file))];
    const workstreams = [...new Set(where.map((x) => x.workstream))];
    if (files.length > 1 && workstreams.length > 1)
      conflicts.push({ kind: 'symbol', file: files[0]!, files, symbol, workstreams });
  }
  return conflicts;
}

export interface SettleOptions {
  /** The isolated checkout, holding everything collected (last writer's version of each file). */
  checkout: string;
  /** A scratch folder for the referee's candidates. */
  scratch: string;
  /** Project root (run store) and environment, for the referee's run and test commands. */
  root: string;
  env: NodeJS.ProcessEnv;
  /** `[develop] verify`: the referee's test command when not empty. */
  verify: string[];
  verifyTimeoutSec: number;
  task: string;
  invoke: InvokeFn;
  ctx: InvokeContext;
  cwd: string;
  synthesizer: string;
  /** Commits the checkout (the referee's base); returns the commit. */
  commit: (message: string) => Promise<string>;
  /** Links of the checkout (node_modules…) the referee's candidates need to run the tests. */
  links?: string[];
  say?: (line: string) => void;
}

/** Settles each conflict in the checkout, in order; returns how. */
export async function settleConflicts(detected: Detected[], written: Written[], o: SettleOptions): Promise<Conflict[]> {
  const settled: Conflict[] = [];
  for (const c of detected) {
    const versions = c.workstreams.map((w) => ({
      workstream: w,
      files: (c.files ?? [c.file]).filter((f) => written.find((x) => x.workstream === w)!.files[f] !== undefined),
      content: written.find((x) => x.workstream === w)!.files,
    }));
    if (c.kind === 'file' && o.verify.length) {
      const byTests = await byReferee(c, versions, o);
      if (byTests) {
        settled.push(byTests);
        continue;
      }
    }
    settled.push(
      await bySynthesizer(
        c,
        versions,
        o,
        o.verify.length ? 'the tests could not decide' : 'no [develop] verify to decide with',
      ),
    );
  }
  return settled;
}

export type Version = { workstream: string; files: string[]; content: Record<string, string> };

/** A knock-out between the versions of one file; null when the tests cannot decide. */
async function byReferee(c: Detected, versions: Version[], o: SettleOptions): Promise<Conflict | null> {
  await o.commit(`mm develop: collected (before settling ${c.file})`);
  let champion = versions[0]!;
  const runs: string[] = [];
  const reasons: string[] = [];
  for (const challenger of versions.slice(1)) {
    const dirOf = (v: Version) => {
      const d = join(o.scratch, `referee-${runs.length}-${v.workstream}`);
      mkdirSync(dirname(join(d, c.file)), { recursive: true });
      writeFileSync(join(d, c.file), v.content[c.file]!);
      return d;
    };
    o.say?.(`conflict ${c.file}: referee ${champion.workstream} vs ${challenger.workstream}`);
    try {
      const v = await runReferee({
        a: dirOf(champion),
        b: dirOf(challenger),
        test: o.verify.join(' && '),
        timeoutSec: o.verifyTimeoutSec,
        cwd: o.checkout,
        link: o.links ?? [],
        root: o.root,
        env: o.env,
      });
      runs.push(v.run_id);
      // Its candidate folders are scratch, removed after Phase 5: the run keeps both versions.
      for (const [side, version] of [
        ['a', champion],
        ['b', challenger],
      ] as const)
        writeRunFile(o.root, v.run_id, `inputs/${side}-${version.workstream}/${c.file}`, version.content[c.file]!);
      if (v.verdict === 'escalate') return null;
      if (v.winner === 'b') champion = challenger;
      reasons.push(v.reason);
    } catch {
      return null; // the referee refused (no tests ran): not decided by tests
    }
  }
  writeFileSync(join(o.checkout, c.file), champion.content[c.file]!);
  return {
    ...c,
    settled_by: 'referee',
    winner: champion.workstream,
    referee_run: runs.at(-1)!,
    reason: `tests decided: kept ${champion.workstream}'s version (${reasons.join('; ')})`,
  };
}

export function synthesisPrompt(c: Detected, versions: Version[], task: string, why: string): string {
  const what =
    c.kind === 'file'
      ? fillTemplate(fileTemplate, { file: c.file! })
      : fillTemplate(symbolTemplate, { symbol: c.symbol!, files: c.files!.join(', ') });
  return fillTemplate(synthesisTemplate, {
    why,
    what,
    task,
    versions: versions
      .flatMap((v) =>
        v.files.map((file) =>
          fillTemplate(versionTemplate, { workstream: v.workstream, file, content: v.content[file]! }),
        ),
      )
      .join('\n'),
  });
}

async function bySynthesizer(c: Detected, versions: Version[], o: SettleOptions, why: string): Promise<Conflict> {
  const involved = new Set(c.files ?? [c.file]);
  o.say?.(`conflict ${c.symbol ?? c.file}: synthesis by ${o.synthesizer}`);
  let problem: string;
  try {
    const r = await o.invoke(
      o.synthesizer,
      {
        prompt: synthesisPrompt(c, versions, o.task, why),
        model: o.synthesizer,
        cwd: o.cwd,
        task: 'develop:synthesis',
      },
      o.ctx,
    );
    if (r.status === 'ok') {
      const cand = extractCandidate(r.text);
      const files = cand.kind === 'files' ? cand.files.filter((f) => involved.has(f.path)) : [];
      if (files.length) {
        for (const f of files) writeFileSync(join(o.checkout, f.path), f.content);
        return {
          ...c,
          settled_by: 'synthesizer',
          synthesizer: r.model || o.synthesizer,
          reason: `${why}: ${r.model || o.synthesizer} merged the versions into one (${files.map((f) => f.path).join(', ')})`,
        };
      }
      problem = 'its answer named none of the conflicting files';
    } else problem = `${r.status}${r.error ? `: ${r.error.slice(0, 160)}` : ''}`;
  } catch (e) {
    problem = (e as Error).message;
  }
  return {
    ...c,
    settled_by: 'unsettled',
    reason: `${why}, and the synthesiser ${o.synthesizer} gave no merge (${problem}); kept ${c.workstreams.at(-1)}'s version`,
  };
}
