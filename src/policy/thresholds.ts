/**
 * `[thresholds]` applied to a change: which second opinions it calls for. Each triggered
 * threshold is routed through the same decision tree as `mm route`, so `mm check` and
 * `mm route` can never disagree about the model or the checkpoint mode.
 */
import type { CheckpointMode, CheckpointName, Config } from '../config/schema.ts';
import type { ChangeAnalysis } from '../git/change.ts';
import type { Registry } from '../registry/registry.ts';
import { showPath } from '../util/show-path.ts';
import { route, type RouteDecision, type RouteInput } from './route.ts';
import { describeLevel, type SecurityThreshold } from './security-calibration.ts';

export interface Suggestion {
  checkpoint: CheckpointName;
  /** "off" when the checkpoint is off or no external model can take it. */
  mode: CheckpointMode;
  model: string;
  provider: string;
  /** One line for people, e.g. "14 files changed, including src/auth/mw.ts → suggest GPT-5.2 review (ask)". */
  reason: string;
  trigger: string;
  decision: RouteDecision;
}

export interface ThresholdInput {
  change: ChangeAnalysis;
  debugCycles: number;
  /** No config file was found: external models are off by design, not by a setting. */
  plainClaudeCode?: boolean;
  /** The threshold `change.securitySensitive` was decided with, when calibrated (for the evidence line). */
  securityThreshold?: SecurityThreshold;
}

export function evaluateThresholds(input: ThresholdInput, config: Config, registry: Registry): Suggestion[] {
  const t = config.thresholds;
  const { change } = input;
  const out: Suggestion[] = [];
  const suggest = (
    checkpoint: CheckpointName,
    trigger: string,
    routeInput: RouteInput,
    action: (model: string) => string,
  ) => {
    const decision = route(routeInput, config, registry);
    const external = decision.checkpoint !== null;
    const mode: CheckpointMode = external ? decision.checkpoint!.mode : 'off';
    const model = registry.find(decision.model)?.name ?? decision.model;
    const reason = external
      ? `${trigger} → ${action(model)} (${mode})`
      : `${trigger} → a second opinion would help, but ${input.plainClaudeCode ? 'external models are off (no config file)' : whyOff(decision, config, checkpoint)}`;
    out.push({ checkpoint, mode, model: decision.model, provider: decision.provider, reason, trigger, decision });
  };

  const files = change.files.length;
  const big = files > t.files_changed_suggest_review;
  const sensitive = change.securitySensitive;
  const architecture = change.architecture.changed;
  if (big || sensitive || architecture) {
    const parts = [
      big
        ? `${files} files changed (> ${t.files_changed_suggest_review})`
        : `${files} file${files === 1 ? '' : 's'} changed`,
      sensitive ? `security evidence ${securityEvidenceText(change, input.securityThreshold)}` : '',
      architecture ? `architecture change: ${change.architecture.evidence[0]!.text}` : '',
    ].filter(Boolean);
    suggest(
      'pr_cross_review',
      parts.join(', '),
      { category: 'review', filesChanged: files, security: sensitive, architecture },
      (m) => `suggest ${m} review`,
    );
  }
  if (change.estimatedTokens > t.suggest_gemini_for_context_above) {
    suggest(
      'context_analysis',
      `~${change.estimatedTokens} tokens of change (> ${t.suggest_gemini_for_context_above})`,
      { category: 'research', contextTokens: change.estimatedTokens },
      (m) => `suggest ${m} analysis (large context)`,
    );
  }
  if (input.debugCycles >= t.suggest_codex_debug_after_cycles) {
    suggest(
      'debug_escalation',
      `${input.debugCycles} failed debug cycles (≥ ${t.suggest_codex_debug_after_cycles})`,
      { category: 'debug', debugCycles: input.debugCycles },
      (m) => `suggest ${m} debug investigation`,
    );
  }
  return out;
}

/** "in src/auth/mw.ts:12 (auth), src/tls.go (tls)": the strongest two pieces, file:line and concept. */
function securityEvidenceText(change: ChangeAnalysis, t?: SecurityThreshold): string {
  const top = change.securityHits
    .slice(0, 2)
    .map((h) => `${showPath(h.file)}${h.line ? `:${h.line}` : ''} (${h.concept})`);
  const text = top.length ? `in ${top.join(', ')}` : `(score ${change.securityScore})`;
  // In a repository where most commits touch security code, say why this one stands out.
  return t?.calibrated
    ? `${text}, score ${change.securityScore} above this repository's usual level (${t.calibrated.level}, ${describeLevel(t.calibrated)})`
    : text;
}

function whyOff(decision: RouteDecision, config: Config, checkpoint: CheckpointName): string {
  if (config.checkpoints[checkpoint] === 'off') return `checkpoints.${checkpoint} = "off"`;
  return `no external model is enabled for it (${decision.model} stays in charge)`;
}
