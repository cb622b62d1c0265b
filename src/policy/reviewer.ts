/**
 * Who reviews a change: one decision for `mm check` (via `mm route`), `mm review diff`
 * and the Stop hook, so the model a suggestion names is the model that then runs.
 * Design §5.2: Gemini Flash for a small change (≤ flash_review_max_files, no security
 * evidence, no architecture change), Gemini Pro otherwise; Codex (read-only) when Gemini
 * is disabled, or when asked for by name (`--with codex|both`).
 * (The design's decision tree names Codex for large and security changes; §5.2's Gemini
 * review is what `mm review diff` runs, and one answer beats two.)
 */
import type { Config } from '../config/schema.ts';
import type { Registry } from '../registry/registry.ts';

type ReviewerProvider = 'gemini' | 'codex';

export interface Reviewer {
  provider: ReviewerProvider;
  model: string;
  effort?: string;
  why: string;
}

export interface ReviewTarget {
  files: number;
  /** The change is security-sensitive (its weighted evidence reached the threshold). */
  security: boolean;
  /** The change alters architecture (modules, schemas, dependencies, public API). */
  architecture?: boolean;
}

export function geminiReviewer(config: Config, change: ReviewTarget): Reviewer {
  const max = config.thresholds.flash_review_max_files;
  const g = config.models.gemini;
  if (change.files <= max && !change.security && !change.architecture) {
    return {
      provider: 'gemini',
      model: g.fast_model,
      why: `${change.files} file(s) changed (≤ ${max}) and no security evidence → Gemini Flash`,
    };
  }
  const why =
    change.files > max
      ? `${change.files} files changed (> ${max})`
      : change.security
        ? 'security-sensitive change'
        : 'architecture change';
  return { provider: 'gemini', model: g.default_model, why: `${why} → Gemini Pro` };
}

export function codexReviewer(config: Config, why = 'requested with --with codex'): Reviewer {
  return {
    provider: 'codex',
    model: config.models.codex.general_model,
    effort: config.models.effort_policy.code_review.codex,
    why: `${why} → Codex (read-only)`,
  };
}

/** The reviewer when none is named: Gemini if enabled, else Codex, else null (none enabled). */
export function defaultReviewer(config: Config, registry: Registry, change: ReviewTarget): Reviewer | null {
  if (isOn(registry, config.models.gemini.default_model)) return geminiReviewer(config, change);
  if (isOn(registry, config.models.codex.general_model))
    return codexReviewer(config, 'Gemini is disabled (models.gemini_enabled = false); Codex is enabled');
  return null;
}

function isOn(registry: Registry, id: string): boolean {
  const entry = registry.find(id);
  return entry ? registry.isEnabled(entry) : false;
}
