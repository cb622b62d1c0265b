/**
 * The usage ledger: one JSON line per model call under `.claude/mm/` (path from
 * [usage].ledger). Safe with many concurrent writers: each line is ONE write(2) on an
 * O_APPEND descriptor, which the kernel positions atomically at the end of the file.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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
  error?: string;
  /** Creative calls: the provider's request id and the stored asset (project-relative). */
  request_id?: string;
  asset?: string;
  /** The budget reservation this call settles (see usage/budget.ts). */
  reservation?: string;
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
      else entries.push(v as LedgerEntry);
    } catch {
      // skip
    }
  }
  return { entries, reservations };
}

/** One line, one write(2): the same append path for calls and reservations. */
export function appendLedgerLine(path: string, line: LedgerEntry | ReservationLine): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o644);
  try {
    writeSync(fd, Buffer.from(`${JSON.stringify(line)}\n`, 'utf8'));
  } finally {
    closeSync(fd);
  }
}
