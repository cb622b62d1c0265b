/**
 * The reviewers of `mm review diff` and the Stop hook. The choice itself is
 * policy/reviewer.ts, shared with `mm check` and `mm route`; this adds `--with`.
 */
import type { Config } from '../../config/schema.ts';
import { codexReviewer, defaultReviewer, geminiReviewer, type Reviewer } from '../../policy/reviewer.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';

export type { Reviewer } from '../../policy/reviewer.ts';
type ReviewerChoice = 'gemini' | 'codex';

/** The change as the reviewer choice sees it (securityFiles > 0: security-sensitive). */
export interface ChangeSize {
  files: number;
  securityFiles: number;
  architecture?: boolean;
}

const target = (c: ChangeSize) => ({ files: c.files, security: c.securityFiles > 0, architecture: c.architecture });

export function pickGemini(
  config: Config,
  filesChanged: number,
  securityFiles: number,
  architecture = false,
): Reviewer {
  return geminiReviewer(config, target({ files: filesChanged, securityFiles, architecture }));
}

const pickCodex = codexReviewer;

/** Reviewers for `--with` (or the default), skipping disabled providers unless asked for by name. */
export function pickReviewers(
  withOpt: 'gemini' | 'codex' | 'both' | undefined,
  config: Config,
  registry: Registry,
  change: ChangeSize,
): Reviewer[] {
  const gemini = () => geminiReviewer(config, target(change));
  if (withOpt === 'gemini') return [gemini()];
  if (withOpt === 'codex') return [pickCodex(config)];
  if (withOpt === 'both') return [gemini(), pickCodex(config, 'requested with --with both')];
  const chosen = defaultReviewer(config, registry, target(change));
  if (chosen) return [chosen];
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
