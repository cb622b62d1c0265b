/**
 * Budgets from [usage]: a call whose estimated cost would push the month's (or the
 * checkpoint's) spend over its budget is refused before anything is sent.
 *
 * Check and reserve are one step under a lock on the ledger: the call's estimate is
 * written as a reservation line before it is sent, so two concurrent calls cannot both
 * pass on the same headroom. The call's own ledger line settles the reservation (its
 * actual cost replaces the estimate). A reservation never settled (the process died)
 * stops counting after RESERVATION_TTL_MS.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { MmError } from '../util/errors.ts';
import { estimateTokens } from '../util/tokens.ts';
import { billingOf, limitExceeded, windowUse } from './billing.ts';
import { estimateCost } from './cost.ts';
import { appendLedgerLine, readLedgerLines, type LedgerEntry, type ReservationLine } from './ledger.ts';
import { withFileLock } from './lock.ts';

/** Output tokens assumed for a call before it happens. */
const ASSUMED_OUTPUT_TOKENS = 1000;
/** Longer than any call may run (video jobs poll up to --timeout, 900 s by default). */
export const RESERVATION_TTL_MS = 2 * 60 * 60 * 1000;

/**
 * Refuses (MmError "budget") when the call would exceed a budget; otherwise reserves its
 * estimate and returns the reservation id for the call's ledger line (null: no budget applies).
 */
export function reserveBudget(opts: {
  config: Config;
  entry: RegistryEntry | undefined;
  prompt: string;
  checkpoint?: string;
  /** The run the call belongs to: the checkpoint budget counts this run's calls only. */
  run?: string;
  ledgerFile: string;
  now?: Date;
  /** A known estimate (e.g. a priced image or video second) instead of the token estimate. */
  estimateUsd?: number | null;
  /** Ledger provider name (codex, claude-cli, …): a subscription is held to its own limit, not to USD budgets. */
  provider?: string;
}): string | null {
  const { monthly_budget_usd: monthly, checkpoint_budget_usd: perCheckpoint } = opts.config.usage;
  const subscription = opts.provider !== undefined && billingOf(opts.config, opts.provider) === 'subscription';
  const limit = subscription ? opts.config.usage.limits[opts.provider!] : undefined;
  // A subscription call spends no API money: USD budgets cannot measure it, its own limit can.
  if (subscription && !limit) return null;
  if (!limit && monthly === undefined && (perCheckpoint === undefined || !opts.checkpoint)) return null;
  const estimate = subscription
    ? 0
    : (opts.estimateUsd ??
      estimateCost(opts.entry, {
        input: estimateTokens(opts.prompt),
        output: ASSUMED_OUTPUT_TOKENS,
        reasoning: 0,
        cached: 0,
      }) ??
      0);
  return withFileLock(`${opts.ledgerFile}.lock`, () => {
    const now = opts.now ?? new Date();
    const { entries, reservations } = readLedgerLines(opts.ledgerFile);
    const open = openReservations(entries, reservations, now);
    if (limit) {
      const inFlight = open.filter((r) => r.provider === opts.provider).length;
      const why = limitExceeded(windowUse(opts.provider!, limit, entries, now), inFlight);
      if (why)
        throw new MmError('budget', `${why}; nothing was sent`, {
          hint: `wait for the window to move on, raise [usage.limits.${opts.provider}], or use another model`,
        });
    }
    if (monthly !== undefined && !subscription) {
      const month = now.toISOString().slice(0, 7);
      const spent = sum(entries.filter((e) => e.ts.startsWith(month)));
      const reserved = sumReserved(open.filter((r) => r.ts.startsWith(month)));
      if (spent + reserved + estimate > monthly) {
        throw new MmError(
          'budget',
          `usage.monthly_budget_usd ($${monthly}) would be exceeded: $${spent.toFixed(4)} spent in ${month}${inFlight(reserved)}, this call ~$${estimate.toFixed(4)}; nothing was sent`,
          {
            hint: 'raise [usage] monthly_budget_usd, or use a cheaper model',
          },
        );
      }
    }
    if (perCheckpoint !== undefined && opts.checkpoint && !subscription) {
      const thisRun = (l: { checkpoint?: string; run?: string }) =>
        l.checkpoint === opts.checkpoint && l.run === opts.run;
      const spent = sum(entries.filter(thisRun));
      const reserved = sumReserved(open.filter(thisRun));
      if (spent + reserved + estimate > perCheckpoint) {
        throw new MmError(
          'budget',
          `usage.checkpoint_budget_usd ($${perCheckpoint} per run) would be exceeded for checkpoint "${opts.checkpoint}": $${spent.toFixed(4)} spent in this run${inFlight(reserved)}, this call ~$${estimate.toFixed(4)}; nothing was sent`,
          {
            hint: 'raise [usage] checkpoint_budget_usd, or narrow the checkpoint',
          },
        );
      }
    }
    const id = randomUUID();
    const line: ReservationLine = {
      ts: now.toISOString(),
      reservation: id,
      reserved_usd: estimate,
      model: opts.entry?.id ?? 'unknown',
      ...(opts.checkpoint ? { checkpoint: opts.checkpoint, ...(opts.run ? { run: opts.run } : {}) } : {}),
      ...(limit ? { provider: opts.provider } : {}),
    };
    appendLedgerLine(opts.ledgerFile, line);
    return id;
  });
}

/** Reservations whose call has not written its line yet (and are young enough to be alive). */
function openReservations(entries: LedgerEntry[], reservations: ReservationLine[], now: Date): ReservationLine[] {
  const settled = new Set(entries.map((e) => e.reservation).filter(Boolean));
  return reservations.filter(
    (r) => !settled.has(r.reservation) && now.getTime() - Date.parse(r.ts) < RESERVATION_TTL_MS,
  );
}

function inFlight(reserved: number): string {
  return reserved > 0 ? ` (+ ~$${reserved.toFixed(4)} reserved by calls in flight)` : '';
}

function sum(entries: LedgerEntry[]): number {
  return entries.reduce((t, e) => t + (e.cost_usd ?? 0), 0);
}

function sumReserved(lines: ReservationLine[]): number {
  return lines.reduce((t, r) => t + r.reserved_usd, 0);
}
