import { analyseChange, type ChangeAnalysis, type ChangeScope } from '../../git/change.ts';
import { SENSITIVE_SCORE } from '../../policy/security-match.ts';
import { projectRoot } from '../../config/locate.ts';
import { evaluateThresholds } from '../../policy/thresholds.ts';
import {
  calibrationPath,
  calibrationSettings,
  describeLevel,
  MIN_CALIBRATION_COMMITS,
  securityThreshold,
  withSecurityThreshold,
  type SecurityThreshold,
} from '../../policy/security-calibration.ts';
import { readRunState } from '../../runs/state.ts';
import { MmError } from '../../util/errors.ts';
import type { Handler } from '../spec.ts';
import { showPath } from '../../util/show-path.ts';
import { repoRoot } from '../../git/git.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export const runCheck: Handler = async ({ flags }, ctx) => {
  if (flags.staged && flags.base) throw new MmError('usage', 'mm check: --staged and --base cannot be combined');
  const scope: ChangeScope = flags.staged
    ? { kind: 'staged' }
    : typeof flags.base === 'string'
      ? { kind: 'base', ref: flags.base }
      : { kind: 'head' };
  const { config, registry, path } = await loadConfigFor(ctx);
  const patterns = config.thresholds.security_sensitive_patterns;
  const settings = calibrationSettings(config.thresholds);
  if (flags.calibrate) return runCalibrate(ctx, settings, patterns);
  const analysed = await analyseChange(ctx.cwd, scope, patterns);
  // One small file read: the repository's usual level, computed earlier by --calibrate.
  const threshold = securityThreshold(analysed.root, settings, patterns);
  const change = withSecurityThreshold(analysed, threshold);
  const recorded =
    typeof flags['debug-cycles'] === 'number' ? null : await readRunState(projectRoot(ctx.cwd, path), ctx.env);
  const debugCycles = (flags['debug-cycles'] as number | undefined) ?? recorded?.debug.failed_cycles ?? 0;
  const suggestions = evaluateThresholds(
    { change, debugCycles, plainClaudeCode: !path, securityThreshold: threshold },
    config,
    registry,
  );
  const t = config.thresholds;
  const external = Object.entries({
    codex: config.models.codex_enabled,
    gemini: config.models.gemini_enabled,
    local: config.models.local_llm_enabled,
  })
    .filter(([, on]) => on)
    .map(([name]) => name);

  if (ctx.json) {
    printJson(ctx, {
      config: path,
      compared: change.compared,
      files_changed: change.files.length,
      lines_added: change.added,
      lines_removed: change.removed,
      estimated_tokens: change.estimatedTokens,
      debug_cycles: debugCycles,
      security: {
        sensitive: change.securitySensitive,
        score: change.securityScore,
        threshold: threshold.threshold,
        calibration: threshold.calibrated,
        files: change.securityFiles,
        evidence: change.securityHits,
      },
      architecture: change.architecture,
      thresholds: {
        files_changed_suggest_review: t.files_changed_suggest_review,
        suggest_gemini_for_context_above: t.suggest_gemini_for_context_above,
        suggest_codex_debug_after_cycles: t.suggest_codex_debug_after_cycles,
      },
      external_models: external,
      suggestions: suggestions.map(({ decision, ...s }) => ({
        ...s,
        effort: decision.effort,
        fallbacks: decision.fallbacks,
      })),
      files: change.files,
    });
    return 0;
  }

  const lines = [
    `${change.compared}: ${change.files.length} file${change.files.length === 1 ? '' : 's'} changed (+${change.added} −${change.removed}), ~${change.estimatedTokens} tokens`,
    ...securityLines(change, threshold),
    ...change.architecture.evidence
      .slice(0, 3)
      .map((e) => `architecture: ${e.file}${e.line ? `:${e.line}` : ''} ${e.text}`),
    `failed debug cycles: ${debugCycles}`,
    '',
  ];
  if (suggestions.length === 0) lines.push('No checkpoint triggered: carry on with Claude.');
  for (const s of suggestions) lines.push(`${s.mode === 'off' ? '·' : '→'} ${s.checkpoint}: ${s.reason}`);
  if (!path) {
    lines.push(
      '',
      'External reviews are off: no .claude/config/multi-model.toml was found, so this is plain Claude Code.',
      'Turn them on with `mm config init`, then set codex_enabled / gemini_enabled; `mm doctor` checks the CLIs.',
    );
  } else if (external.length === 0) {
    lines.push('', `External models are all disabled in ${path} ([models] *_enabled).`);
  }
  ctx.stdout(lines.join('\n'));
  return 0;
};

/** The verdict and its strongest evidence (file:line, concept, where it matched). */
function securityLines(change: ChangeAnalysis, t: SecurityThreshold): string[] {
  if (!change.securityHits.length) return ['security-sensitive: no (no security concept in the change)'];
  const level = t.calibrated
    ? `${t.threshold}, this repository's usual level: ${describeLevel(t.calibrated)}; fixed threshold ${SENSITIVE_SCORE}`
    : `${SENSITIVE_SCORE}`;
  const head = change.securitySensitive
    ? `security-sensitive: yes (score ${change.securityScore} ≥ ${level})`
    : `security-sensitive: no (score ${change.securityScore} < ${level})`;
  const shown = change.securityHits.slice(0, change.securitySensitive ? 5 : 2);
  return [
    head,
    ...shown.map((h) => `  ${showPath(h.file)}${h.line ? `:${h.line}` : ''}  ${h.concept} ("${h.term}", ${h.place})`),
  ];
}

/** `mm check --calibrate`: score the repository's recent commits once, off the hot path. */
async function runCalibrate(
  ctx: Parameters<Handler>[1],
  settings: ReturnType<typeof calibrationSettings>,
  patterns: string[],
): Promise<number> {
  const root = await repoRoot(ctx.cwd);
  // Loaded only here: the scoring walk is no part of a plain `mm check`.
  const { calibrate } = await import('../../policy/security-calibrate.ts');
  const { cache, threshold, ms } = await calibrate(root, settings, patterns);
  const fired = cache.scores.filter((s) => s >= threshold.threshold).length;
  if (ctx.json) {
    printJson(ctx, {
      file: calibrationPath(root),
      head: cache.head,
      commits: cache.scores.length,
      quantile: settings.quantile,
      threshold: threshold.threshold,
      calibration: threshold.calibrated,
      would_flag: fired,
      ms,
    });
    return 0;
  }
  const verdict =
    settings.quantile <= 0
      ? `calibration is off ([thresholds] security_calibration_quantile = 0): the threshold stays ${SENSITIVE_SCORE}`
      : threshold.calibrated
        ? `security threshold for this repository: ${threshold.threshold} (${describeLevel(threshold.calibrated)}; fixed threshold ${SENSITIVE_SCORE})`
        : `security threshold for this repository: ${SENSITIVE_SCORE} (its usual level is below the fixed threshold${cache.scores.length < MIN_CALIBRATION_COMMITS ? `, or too few commits: ${cache.scores.length}` : ''})`;
  ctx.stdout(
    [
      `scored the last ${cache.scores.length} commits in ${(ms / 1000).toFixed(1)} s → ${showPath(calibrationPath(root))}`,
      verdict,
      `${fired} of those ${cache.scores.length} commits would have been flagged`,
    ].join('\n'),
  );
  return 0;
}
