/**
 * Who reviews a diff (§5.2): Gemini Flash for small changes with no security pattern,
 * Gemini Pro otherwise; Codex (read-only) when the user asks for it. Model ids come
 * from config, so a team's own lines are honoured.
 */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';

export type ReviewerChoice = 'gemini' | 'codex';

export interface Reviewer {
  provider: ReviewerChoice;
  model: string;
  effort?: string;
  why: string;
}

export function pickGemini(config: Config, filesChanged: number, securityFiles: number): Reviewer {
  const max = config.thresholds.flash_review_max_files;
  const g = config.models.gemini;
  if (filesChanged <= max && securityFiles === 0) {
    return {
      provider: 'gemini',
      model: g.fast_model,
      why: `${filesChanged} file(s) changed (≤ ${max}) and no security pattern → Gemini Flash`,
    };
  }
  const why =
    filesChanged > max ? `${filesChanged} files changed (> ${max})` : `${securityFiles} security-sensitive file(s)`;
  return { provider: 'gemini', model: g.default_model, why: `${why} → Gemini Pro` };
}

export function pickCodex(config: Config, why = 'requested with --with codex'): Reviewer {
  return {
    provider: 'codex',
    model: config.models.codex.general_model,
    effort: config.models.effort_policy.code_review.codex,
    why: `${why} → Codex (read-only)`,
  };
}

/** Reviewers for `--with` (or the default), skipping disabled providers unless asked for by name. */
export function pickReviewers(
  withOpt: 'gemini' | 'codex' | 'both' | undefined,
  config: Config,
  registry: Registry,
  change: { files: number; securityFiles: number },
): Reviewer[] {
  const gemini = () => pickGemini(config, change.files, change.securityFiles);
  if (withOpt === 'gemini') return [gemini()];
  if (withOpt === 'codex') return [pickCodex(config)];
  if (withOpt === 'both') return [gemini(), pickCodex(config, 'requested with --with both')];
  const geminiOn = isOn(registry, config.models.gemini.default_model);
  const codexOn = isOn(registry, config.models.codex.general_model);
  if (geminiOn) return [gemini()];
  if (codexOn) return [pickCodex(config, 'Gemini is disabled (models.gemini_enabled = false); Codex is enabled')];
  throw new MmError(
    'unavailable',
    'no external reviewer is enabled (models.gemini_enabled and models.codex_enabled are false)',
    {
      hint: 'enable one in .claude/config/multi-model.toml, or name one explicitly: --with gemini|codex',
    },
  );
}

/** `--model ID`: that model reviews (a Codex or Gemini model; --with may name its provider, not another). */
export function reviewerForModel(
  id: string,
  withOpt: 'gemini' | 'codex' | 'both' | undefined,
  config: Config,
  registry: Registry,
): Reviewer {
  if (withOpt === 'both')
    throw new MmError('usage', 'mm review diff: --model names one reviewer; it cannot be combined with --with both');
  const entry = registry.get(id, '--model');
  const provider: ReviewerChoice | null =
    entry.integration === 'codex' ? 'codex' : entry.integration === 'gemini' ? 'gemini' : null;
  if (!provider)
    throw new MmError(
      'usage',
      `mm review diff: --model ${entry.id} is a ${entry.integration} model; reviews take a Codex or Gemini model`,
    );
  if (withOpt && withOpt !== provider)
    throw new MmError('usage', `mm review diff: --model ${entry.id} is a ${provider} model, not ${withOpt}`);
  return {
    provider,
    model: entry.id,
    ...(provider === 'codex' ? { effort: config.models.effort_policy.code_review.codex } : {}),
    why: `requested with --model ${entry.id}`,
  };
}

function isOn(registry: Registry, id: string): boolean {
  const entry = registry.find(id);
  return entry ? registry.isEnabled(entry) : false;
}
