/**
 * The usage ledger: one JSON line per model call under `.claude/mm/` (path from
 * [usage].ledger). Safe with many concurrent writers: each line is ONE write(2) on an
 * O_APPEND descriptor, which the kernel positions atomically at the end of the file.
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { InvokeStatus } from '../util/call-status.ts';

export interface LedgerEntry {
  ts: string;
  provider: string;
  model: string;
  task: string;
  status: InvokeStatus;
  tokens: { input: number; output: number; reasoning: number; cached: number };
  latency_ms: number;
  cost_usd: number | null;
  /** The model this call fell back from, when it was a fallback hop. */
  fallback_from?: string;
  /** e.g. "fallback from gemini-3.1-pro to claude-sonnet-4-6 (timeout)". */
  note?: string;
  checkpoint?: string;
  /** The run a checkpoint call belongs to (checkpoint_budget_usd is per run). */
  run?: string;
  /** The effort the call ran at (Codex reasoning, Claude thinking), for `mm effort report`. */
  effort?: string;
  error?: string;
  /** Creative calls: the provider's request id and the stored asset (project-relative). */
  request_id?: string;
  asset?: string;
  /** The budget reservation this call settles (see usage/budget.ts). */
  reservation?: string;
  /** How the provider is paid for; absent on old lines (read as "api"). */
  billing?: 'api' | 'subscription';
  /** Subscription calls: what the tokens would have cost at API list prices (cost_usd is 0). */
  list_cost_usd?: number | null;
}

/**
 * Written under the budget lock before a call is sent, so concurrent calls see each
 * other's estimates; settled by the call's own line (`reservation` = id). Not a call:
 * `readLedger` leaves it out.
 */
export interface ReservationLine {
  ts: string;
  reservation: string;
  reserved_usd: number;
  model: string;
  checkpoint?: string;
  run?: string;
  /** The provider a subscription limit counts this call against. */
  provider?: string;
}

export function ledgerPath(root: string, configured: string): string {
  return isAbsolute(configured) ? configured : join(root, configured);
}

export function appendLedger(path: string, entry: LedgerEntry): void {
  appendLedgerLine(path, entry);
}

/** Every call line (reservations left out); a torn or foreign line is skipped, never fatal. */
export function readLedger(path: string): LedgerEntry[] {
  return readLedgerLines(path).entries;
}

export function readLedgerLines(path: string): { entries: LedgerEntry[]; reservations: ReservationLine[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { entries: [], reservations: [] };
  }
  const entries: LedgerEntry[] = [];
  const reservations: ReservationLine[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const v = JSON.parse(line);
      if (!v || typeof v.ts !== 'string' || typeof v.model !== 'string') continue;
      if (typeof v.reserved_usd === 'number' && typeof v.reservation === 'string')
        reservations.push(v as ReservationLine);
      else entries.push(normalizeEntry(v));
    } catch {
      // skip
    }
  }
  return { entries, reservations };
}

/**
 * A line as sums expect it: a hand-edited or foreign line may carry "0.5" or null where a
 * number belongs; budgets must neither crash on it nor concatenate strings.
 */
function normalizeEntry(v: Record<string, unknown>): LedgerEntry {
  const num = (x: unknown): number | null => {
    const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const t = (v.tokens ?? {}) as Record<string, unknown>;
  return {
    ...(v as unknown as LedgerEntry),
    cost_usd: num(v.cost_usd),
    latency_ms: num(v.latency_ms) ?? 0,
    tokens: {
      input: num(t.input) ?? 0,
      output: num(t.output) ?? 0,
      reasoning: num(t.reasoning) ?? 0,
      cached: num(t.cached) ?? 0,
    },
  };
}

/**
 * One line, one write(2): the same append path for calls and reservations. A line is
 * whole or absent: a short write (full disk) is cut back off when no one appended since,
 * and a line torn earlier (no trailing newline) gets one first, so ours is never glued to
 * it and readers lose only the torn line. The file is the user's alone (0600 in 0700).
 */
export function appendLedgerLine(path: string, line: LedgerEntry | ReservationLine): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'a+', 0o600);
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    const bytes = Buffer.from(`${torn ? '\n' : ''}${JSON.stringify(line)}\n`, 'utf8');
    let written = 0;
    try {
      written = writeSync(fd, bytes);
    } catch (e) {
      if (written === 0) throw e;
    }
    if (written < bytes.length) {
      if (fstatSync(fd).size === size + written) ftruncateSync(fd, size);
      throw Object.assign(new Error(`short write to ${path} (${written} of ${bytes.length} bytes): disk full?`), {
        code: 'ENOSPC',
      });
    }
  } finally {
    closeSync(fd);
  }
}
