/**
 * The usage ledger: one JSON line per model call under `.claude/mm/` (path from
 * [usage].ledger). Safe with many concurrent writers: each line is ONE write(2) on an
 * O_APPEND descriptor, which the kernel positions atomically at the end of the file.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { InvokeStatus } from '../providers/types.ts';

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
  error?: string;
  /** Creative calls: the provider's request id and the stored asset (project-relative). */
  request_id?: string;
  asset?: string;
}

export function ledgerPath(root: string, configured: string): string {
  return isAbsolute(configured) ? configured : join(root, configured);
}

export function appendLedger(path: string, entry: LedgerEntry): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o644);
  try {
    writeSync(fd, Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Every valid line; a torn or foreign line is skipped, never fatal. */
export function readLedger(path: string): LedgerEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const v = JSON.parse(line) as LedgerEntry;
      if (v && typeof v.ts === 'string' && typeof v.model === 'string') out.push(v);
    } catch {
      // skip
    }
  }
  return out;
}
