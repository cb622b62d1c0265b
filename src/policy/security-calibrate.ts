/**
 * `mm check --calibrate`: the slow half of the security calibration (scoring the
 * repository's recent commits), kept apart so that `mm check` and the Stop hook, which only
 * read the cache, never load it.
 */
import { historyScores } from '../git/history-scores.ts';
import {
  calibratedThreshold,
  writeCalibration,
  type CalibrationCache,
  type CalibrationSettings,
  type SecurityThreshold,
} from './security-calibration.ts';

/** `mm check --calibrate`: score the last N commits, write the cache, return the threshold. */
export async function calibrate(
  root: string,
  settings: CalibrationSettings,
  patterns: string[],
): Promise<{ cache: CalibrationCache; threshold: SecurityThreshold; ms: number }> {
  const started = performance.now();
  const { head, scores } = await historyScores(root, { commits: settings.commits, patterns });
  const cache = writeCalibration(root, {
    head,
    commits: settings.commits,
    scores: scores.map((s) => s.score),
    patterns,
  });
  return {
    cache,
    threshold: calibratedThreshold(cache.scores, settings),
    ms: Math.round(performance.now() - started),
  };
}
