/**
 * The routing decision tree (design §4.2, usage-spec quick table, MAO fallback chains):
 * given what the task is, name the model, its effort, the checkpoint that guards the
 * call, the fallbacks and the reasons. Pure: no I/O, so every branch is unit-tested.
 */
import type { CheckpointMode, CheckpointName, Config } from '../config/schema.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { enableFlagOf, type Registry } from '../registry/registry.ts';
import { inferCategory, type Category } from './categories.ts';
import { resolveEffort, type Effort } from './effort.ts';
import { defaultReviewer } from './reviewer.ts';
import { codexModelOfLine, sameTask, TASKS } from './tasks.ts';

export const RESOLUTIONS = ['1K', '2K', '4K'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface RouteInput {
  task?: string;
  category?: Category;
  filesChanged?: number;
  security?: boolean;
  contextTokens?: number;
  debugCycles?: number;
  privacy?: boolean;
  resolution?: Resolution;
  complex?: boolean;
  /** The user asked for this provider or model by name (Pattern C). */
  with?: string;
  /** Failing test output, stack traces: what justifies escalated effort. */
  artifacts?: string[];
  /** The task is blocked, not just hard (needed, with artifacts, to escalate). */
  blocked?: boolean;
  /** The change alters architecture (review → Gemini codebase analysis). */
  architecture?: boolean;
  /** The task needs current information from the web. */
  web?: boolean;
}

export interface RouteDecision {
  category: Category;
  model: string;
  provider: string;
  effort: Effort;
  checkpoint: { name: CheckpointName; mode: CheckpointMode } | null;
  fallbacks: string[];
  reasons: string[];
}

/** Provider names accepted by --with, mapped to the registry model that stands for them. */
const PROVIDER_ALIASES: Record<string, (c: Config, category: Category) => string> = {
  codex: (c, category) => codexModelOfLine(c, TASKS[category].codexLine),
  gemini: (c) => c.models.gemini.default_model,
  claude: (c) => c.models.defaults.implementation,
  local: () => 'local-llm',
  'nano-banana': () => 'nano-banana-pro',
  nbp: () => 'nano-banana-pro',
  sora: () => 'sora-2',
  teams: () => 'claude-teams',
};

export function route(input: RouteInput, config: Config, registry: Registry): RouteDecision {
  const reasons: string[] = [];
  let category: Category;
  if (input.category) {
    category = input.category;
  } else if (input.task) {
    const inferred = inferCategory(input.task);
    category = inferred.category;
    reasons.push(
      inferred.matched
        ? `category "${category}" inferred from "${inferred.matched}" in the task`
        : 'no category keyword in the task: treated as implementation',
    );
  } else {
    category = 'implementation';
  }

  // Privacy constrains every branch below, including explicit requests.
  const alwaysLocal = config.models.local_llm.always_local.find(
    (name) => sameTask(name, category) || (input.task?.toLowerCase().includes(name.toLowerCase()) ?? false),
  );
  const privacyOnly = input.privacy === true || category === 'privacy' || alwaysLocal !== undefined;
  // A task named in always_local is a privacy task unless the caller said what it is.
  if (alwaysLocal && !input.category) category = 'privacy';
  const t = config.thresholds;
  const artifacts = input.artifacts ?? [];
  const cycles = input.debugCycles ?? 0;
  const debugStalled = category === 'debug' && cycles >= t.suggest_codex_debug_after_cycles;
  const wantsEscalation = input.blocked === true || debugStalled;
  const escalate =
    wantsEscalation && (artifacts.length > 0 || !config.models.effort_policy.escalation_requires_artifacts);
  if (wantsEscalation && !escalate) {
    reasons.push(
      'escalated effort (extended / xhigh) needs concrete artifacts: pass --artifacts with failing test output or a stack trace',
    );
  }
  const effort = resolveEffort(config, category, { escalate, complex: input.complex === true });
  if (escalate)
    reasons.push(
      `effort escalated to the debugging_escalated policy (${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'} given)`,
    );

  const claudeFor = (c: Category): string => {
    const d = config.models.defaults;
    if (c === 'search' || c === 'research') return d.exploration;
    if (c === 'docs' || c === 'formatting') return d.documentation;
    if (c === 'architecture' || c === 'planning') return d.orchestration;
    if (c === 'review' || c === 'plan-review') return d.review;
    return d.implementation;
  };
  const decide = (modelId: string, checkpoint: CheckpointName | null, chainKey?: string): RouteDecision => {
    const entry = registry.get(modelId, 'routing');
    const external = entry.integration !== 'claude';
    if (entry.integration === 'claude-teams')
      reasons.push(
        `up to ${config.models.claude_teams.max_parallel_threads} parallel threads ([models.claude_teams] max_parallel_threads)`,
      );
    return {
      category,
      model: entry.id,
      provider: entry.integration,
      effort,
      checkpoint: checkpoint && external ? { name: checkpoint, mode: checkpointMode(config, checkpoint) } : null,
      fallbacks: external ? fallbacksFor(entry, chainKey, claudeFor(category), config, registry, privacyOnly) : [],
      reasons,
    };
  };
  const stayWithClaude = (why?: string): RouteDecision => {
    if (why) reasons.push(why);
    return decide(claudeFor(category), null);
  };
  /** First enabled model of `ids`; says why each skipped one was skipped. */
  const firstEnabled = (ids: string[]): RegistryEntry | undefined => {
    for (const id of new Set(ids)) {
      const entry = registry.find(id);
      if (!entry) {
        reasons.push(`"${id}" is not in the registry: skipped`);
        continue;
      }
      if (registry.isEnabled(entry)) return entry;
      reasons.push(
        `${entry.id} is disabled (${enableFlagOf(entry.integration) ?? `[[registry.models]] ${entry.id}.enabled`} = false)`,
      );
    }
    return undefined;
  };
  /** A checkpoint set to "off" never triggers: the task stays with Claude. */
  const viaCheckpoint = (name: CheckpointName, ids: string[], why: string, chainKey?: string): RouteDecision => {
    if (checkpointMode(config, name) === 'off')
      return stayWithClaude(`${why}, but checkpoints.${name} = "off": staying with Claude`);
    const entry = firstEnabled(ids);
    if (!entry || entry.integration === 'claude')
      return stayWithClaude(`${why}, but no external reviewer is enabled: staying with Claude`);
    reasons.push(`${why} → suggest ${entry.name} (${checkpointMode(config, name)})`);
    return decide(entry.id, name, chainKey);
  };

  // Privacy first.
  if (privacyOnly) {
    reasons.push(
      alwaysLocal
        ? `"${alwaysLocal}" is in models.local_llm.always_local`
        : 'privacy-sensitive: nothing may leave the machine',
    );
    if (input.with)
      reasons.push(
        `the request for "${input.with}" is not honoured: a privacy-sensitive task stays local or with Claude`,
      );
    if (!config.models.local_llm_enabled)
      return stayWithClaude(
        'no local model enabled (models.local_llm_enabled = false): Claude only, no external model',
      );
    const pinned = config.models.local_llm.pinning.model_id;
    if (TASKS[category].codeGenerating && !pinned) {
      return stayWithClaude(
        'the local model is not pinned (models.local_llm.pinning.model_id): code generation stays with Claude',
      );
    }
    reasons.push(`routed to the local model ${config.models.local_llm.model} at ${config.models.local_llm.endpoint}`);
    return decide('local-llm', null);
  }

  // Pattern C: an explicit request is honoured without a config check.
  if (input.with) {
    const alias = PROVIDER_ALIASES[input.with.toLowerCase()];
    const entry = registry.get(alias ? alias(config, category) : input.with, '--with');
    reasons.push(`explicit request for ${input.with} (Pattern C): honoured without a config check`);
    return decide(entry.id, null);
  }

  switch (category) {
    case 'image': {
      if (input.resolution === '4K') {
        reasons.push('resolution above 2K → Nano Banana Pro (native 4K)');
        const nbp = firstEnabled(['nano-banana-pro']);
        if (nbp) return creative(nbp.id);
      }
      const preferred = config.models.defaults.image_generation;
      const entry = firstEnabled([preferred, 'nano-banana-pro', 'gemini-3.1-pro']);
      if (!entry || entry.integration === 'claude') {
        return stayWithClaude('no image model enabled: Claude can describe the image or write SVG, not render it');
      }
      reasons.push(
        entry.id === preferred
          ? `image provider from models.defaults.image_generation = "${preferred}"`
          : `fallback image provider ${entry.id}`,
      );
      return creative(entry.id);
    }
    case 'svg': {
      if (!input.complex) return stayWithClaude('simple SVG (icons, basic shapes) → Claude; no external call needed');
      const entry = firstEnabled([config.models.defaults.svg_generation, config.models.gemini.default_model]);
      if (!entry || entry.integration === 'claude')
        return stayWithClaude('complex SVG, but Gemini is not enabled: Claude writes it');
      reasons.push('complex or animated SVG → Gemini (can reason about the visual result)');
      return creative(entry.id);
    }
    case 'video': {
      const entry = firstEnabled([config.models.defaults.video_generation, 'sora-2']);
      if (!entry || entry.integration === 'claude')
        return stayWithClaude('video needs Sora 2 (models.sora_enabled = true); Claude can only script it');
      reasons.push('video → Sora 2');
      return creative(entry.id);
    }
    case 'review': {
      const files = input.filesChanged ?? 0;
      const big = files > t.files_changed_suggest_review;
      if (big || input.security || input.architecture) {
        const why = [
          big ? `${files} files changed (> ${t.files_changed_suggest_review})` : '',
          input.security ? 'security-sensitive change' : '',
          input.architecture ? 'architecture change → Gemini codebase analysis' : '',
        ]
          .filter(Boolean)
          .join(', ');
        // The same reviewer `mm review diff` and the Stop hook then run (policy/reviewer.ts).
        const reviewer = defaultReviewer(config, registry, {
          files,
          security: input.security === true,
          architecture: input.architecture === true,
        });
        return viaCheckpoint('pr_cross_review', reviewer ? [reviewer.model] : [], why, TASKS.review.chain);
      }
      return stayWithClaude('standard review → Claude (below the review thresholds)');
    }
    case 'plan-review':
      return viaCheckpoint(
        'plan_review',
        [config.models.codex.default_model],
        'plan review → Codex (independent audit, read-only)',
        TASKS['plan-review'].chain,
      );
    case 'research': {
      const tokens = input.contextTokens ?? 0;
      if (tokens > t.suggest_gemini_for_context_above) {
        return viaCheckpoint(
          'context_analysis',
          [config.models.gemini.default_model],
          `context of ~${tokens} tokens (> ${t.suggest_gemini_for_context_above})`,
          TASKS.research.chain,
        );
      }
      if (input.web || /\b(?:latest|current|web|online|news|today)\b/i.test(input.task ?? '')) {
        const entry = firstEnabled([config.models.defaults.web_research, config.models.gemini.default_model]);
        if (!entry || entry.integration === 'claude')
          return stayWithClaude('needs current web info, but Gemini (Google Search) is not enabled');
        reasons.push('needs current web info → Gemini with Google Search grounding');
        return decide(entry.id, null, TASKS.research.chain);
      }
      return stayWithClaude('codebase research → Claude');
    }
    case 'debug': {
      if (!debugStalled) {
        return stayWithClaude(
          `debug cycle ${cycles} of ${t.suggest_codex_debug_after_cycles} before escalation → continue with Claude`,
        );
      }
      // Debug escalation is always "ask": never automatic (design §5.3).
      if (checkpointMode(config, 'debug_escalation') === 'off')
        return stayWithClaude('debug stalled, but checkpoints.debug_escalation = "off"');
      const entry = firstEnabled([config.models.codex.default_model, config.models.gemini.default_model]);
      if (!entry || entry.integration === 'claude')
        return stayWithClaude(
          `debug stalled after ${cycles} failed cycles; no external model enabled: try a different approach with Claude`,
        );
      reasons.push(
        `debug failed ${cycles} cycles (≥ ${t.suggest_codex_debug_after_cycles}) → suggest ${entry.name} (independent investigation)`,
      );
      const decision = decide(entry.id, 'debug_escalation', TASKS.debug.chain);
      if (decision.checkpoint) decision.checkpoint.mode = 'ask';
      return decision;
    }
    default:
      return stayWithClaude(defaultReason(category, registry.find(claudeFor(category))?.name ?? claudeFor(category)));
  }

  function creative(modelId: string): RouteDecision {
    return decide(modelId, 'creative_model_selection', TASKS[category].chain);
  }
}

/** Names the model models.defaults actually chose, never a hard-coded one. */
function defaultReason(category: Category, model: string): string {
  switch (category) {
    case 'search':
      return `${category} → ${model} (models.defaults.exploration)`;
    case 'docs':
    case 'formatting':
      return `${category} → ${model} (models.defaults.documentation)`;
    case 'architecture':
    case 'planning':
      return `${category} → ${model} (models.defaults.orchestration)`;
    default:
      return `${category} → ${model} (models.defaults.implementation)`;
  }
}

function checkpointMode(config: Config, name: CheckpointName): CheckpointMode {
  return config.checkpoints[name];
}

/** primary → fallback → Claude (MAO), enabled models only, never the chosen one twice. */
function fallbacksFor(
  chosen: RegistryEntry,
  chainKey: string | undefined,
  claude: string,
  config: Config,
  registry: Registry,
  privacyOnly: boolean,
): string[] {
  const chain = chainKey ? config.routing[chainKey] : undefined;
  const ids = [...(chain ? [chain.primary, ...chain.fallback] : []), claude];
  const out: string[] = [];
  for (const id of ids) {
    const entry = registry.find(id);
    if (!entry || entry.id === chosen.id || out.includes(entry.id) || !registry.isEnabled(entry)) continue;
    if (privacyOnly && entry.integration !== 'claude' && entry.integration !== 'local') continue;
    out.push(entry.id);
  }
  return out;
}
