/**
 * Per-repository calibration of the security trigger. In a sanitizer, a password
 * manager's server or a package registry most commits touch code named for security, so a
 * fixed threshold fires on nearly half of them and gets switched off. Calibrated, the
 * trigger fires at score ≥ max(SENSITIVE_SCORE, this repository's usual level): the
 * quantile q of the scores of its own last N commits. In a quiet repository that level is
 * below the fixed threshold and nothing changes. Measured in bench/security-calibration.mjs.
 *
 * The scores are computed off the hot path (`mm check --calibrate`, from the commits'
 * diffs) and cached in `.claude/mm/security-calibration.json`; `mm check` and the Stop hook
 * only read that file. A missing, stale or corrupt cache means "not calibrated" (the fixed
 * threshold), never an error; `mm check --calibrate` recomputes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { ensureMmStateIgnored, mmStateDir } from '../util/mm-state.ts';
import { SENSITIVE_SCORE } from './security-match.ts';

export interface CalibrationSettings {
  /** 0 turns calibration off. */
  quantile: number;
  commits: number;
}

/** What `mm check` applies to a change's score. */
export interface SecurityThreshold {
  threshold: number;
  /** Set when the repository's usual level is what raised the threshold. */
  calibrated: {
    level: number;
    quantile: number;
    commits: number;
    /** Set when the calibration is older than CALIBRATION_MAX_AGE_DAYS (shown with a refresh hint). */
    computedAt?: string;
  } | null;
}

const FIXED_THRESHOLD: SecurityThreshold = { threshold: SENSITIVE_SCORE, calibrated: null };

/** The q-quantile by nearest rank (a score that really occurred); NaN for no scores. */
export function quantile(scores: number[], q: number): number {
  if (!scores.length) return Number.NaN;
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Too few past commits say nothing about a repository's usual level: a new repository
 * keeps the fixed threshold until it has this many.
 */
export const MIN_CALIBRATION_COMMITS = 30;

/** The threshold for this repository: max(fixed, the q-quantile of its past scores). */
export function calibratedThreshold(
  scores: number[],
  settings: Pick<CalibrationSettings, 'quantile'>,
  fixed = SENSITIVE_SCORE,
): SecurityThreshold {
  if (settings.quantile <= 0 || scores.length < MIN_CALIBRATION_COMMITS) return { threshold: fixed, calibrated: null };
  const level = quantile(scores, settings.quantile);
  if (!(level > fixed)) return { threshold: fixed, calibrated: null };
  return { threshold: level, calibrated: { level, quantile: settings.quantile, commits: scores.length } };
}

/** "p85 of the last 200 commits": how the evidence line names the level. */
export function describeLevel(c: NonNullable<SecurityThreshold['calibrated']>): string {
  const level = `p${Math.round(c.quantile * 100)} of the last ${c.commits} commits`;
  return c.computedAt
    ? `${level}, computed ${c.computedAt.slice(0, 10)}: \`mm check --calibrate\` refreshes it`
    : level;
}

// ---- the cache -------------------------------------------------------------------------

/** Bumped when scoring changes so that old scores are recomputed, not trusted. */
const CALIBRATION_VERSION = 1;

export interface CalibrationCache {
  version: number;
  /** The commit the walk started at. */
  head: string;
  computed_at: string;
  /** How many commits were asked for (a young repository has fewer scores). */
  commits: number;
  /** Scores of the commits before (and including) `head`, newest first. */
  scores: number[];
  /** Custom `security_sensitive_patterns` change the scores: they are part of the key. */
  patterns: string[];
}

export const calibrationPath = (projectRoot: string) => join(mmStateDir(projectRoot), 'security-calibration.json');

/**
 * A cache older than this is still used (a repository's usual level moves slowly, and
 * checking the commit distance would cost a git call on the hot path), but `mm check`
 * says it is old and how to refresh it. Scores from other patterns, another scoring
 * version or a smaller window than asked for are not used at all.
 */
export const CALIBRATION_MAX_AGE_DAYS = 14;

export type CacheState =
  | { state: 'fresh' | 'old'; cache: CalibrationCache }
  | { state: 'stale' | 'missing' | 'corrupt'; why: string };

/** Reads the cache without ever throwing: anything unexpected is "corrupt" (then recomputed). */
export function readCalibration(
  projectRoot: string,
  want: { commits: number; patterns: string[] },
  now = new Date(),
): CacheState {
  let text: string;
  try {
    text = readFileSync(calibrationPath(projectRoot), 'utf8');
  } catch {
    return { state: 'missing', why: 'no calibration yet' };
  }
  let c: CalibrationCache;
  try {
    c = JSON.parse(text) as CalibrationCache;
  } catch {
    return { state: 'corrupt', why: 'the calibration file is not JSON' };
  }
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.head !== 'string' ||
    typeof c.computed_at !== 'string' ||
    !Array.isArray(c.scores) ||
    !c.scores.every((s) => typeof s === 'number' && Number.isFinite(s)) ||
    !Array.isArray(c.patterns)
  )
    return { state: 'corrupt', why: 'the calibration file has an unexpected shape' };
  if (c.version !== CALIBRATION_VERSION) return { state: 'stale', why: `computed by another version (${c.version})` };
  if (c.patterns.join('\0') !== want.patterns.join('\0')) return { state: 'stale', why: 'security patterns changed' };
  // A repository with fewer commits than asked for is fresh as it is; a larger window is not.
  if (typeof c.commits !== 'number' || c.commits < want.commits)
    return { state: 'stale', why: `computed from ${c.scores.length} commits, ${want.commits} wanted` };
  const age = (now.getTime() - Date.parse(c.computed_at)) / 86_400_000;
  return { state: age >= 0 && age <= CALIBRATION_MAX_AGE_DAYS ? 'fresh' : 'old', cache: c };
}

/** The threshold `mm check` applies: calibrated from a fresh cache, else the fixed one. */
export function securityThreshold(
  projectRoot: string | null,
  settings: CalibrationSettings,
  patterns: string[],
): SecurityThreshold {
  if (!projectRoot || settings.quantile <= 0) return FIXED_THRESHOLD;
  const read = readCalibration(projectRoot, { commits: settings.commits, patterns });
  if (read.state !== 'fresh' && read.state !== 'old') return FIXED_THRESHOLD;
  const t = calibratedThreshold(read.cache.scores.slice(0, settings.commits), settings);
  return t.calibrated && read.state === 'old'
    ? { ...t, calibrated: { ...t.calibrated, computedAt: read.cache.computed_at } }
    : t;
}

/**
 * The change as the calibrated threshold sees it. The threshold is never below the fixed
 * one, so calibration can only turn "sensitive" off (then its file count goes too).
 */
export function withSecurityThreshold<
  C extends { securityScore: number; securitySensitive: boolean; securityFiles: number },
>(change: C, t: SecurityThreshold): C {
  if (!change.securitySensitive || change.securityScore >= t.threshold) return change;
  return { ...change, securitySensitive: false, securityFiles: 0 };
}

/** The settings from `[thresholds]`. */
export const calibrationSettings = (t: {
  security_calibration_quantile: number;
  security_calibration_commits: number;
}): CalibrationSettings => ({ quantile: t.security_calibration_quantile, commits: t.security_calibration_commits });

/** Writes the cache (mm's state folder, kept out of git); the caller computed the scores. */
export function writeCalibration(
  projectRoot: string,
  c: Omit<CalibrationCache, 'version' | 'computed_at'>,
  now = new Date(),
): CalibrationCache {
  const cache: CalibrationCache = { version: CALIBRATION_VERSION, computed_at: now.toISOString(), ...c };
  ensureMmStateIgnored(projectRoot);
  writeFileAtomic(calibrationPath(projectRoot), `${JSON.stringify(cache)}\n`);
  return cache;
}
