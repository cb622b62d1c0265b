/**
 * Task categories of the routing tree (design §4.2, usage spec quick table) as data:
 * which effort-policy row each uses, how complex it is for Pro-vs-Flash, and the words
 * that let `mm route --task "…"` infer it when `--category` is absent.
 */
import type { EffortTask } from '../config/schema.ts';

export const CATEGORIES = [
  'image',
  'svg',
  'video',
  'review',
  'plan-review',
  'research',
  'debug',
  'privacy',
  'architecture',
  'planning',
  'implementation',
  'search',
  'docs',
  'formatting',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type Complexity = 'simple' | 'moderate' | 'complex';

interface CategoryInfo {
  effortTask: EffortTask;
  complexity: Complexity;
  /** Lower-case patterns matched against the task text, in inference order below. */
  keywords: RegExp;
}

export const CATEGORY_INFO: Record<Category, CategoryInfo> = {
  video: {
    effortTask: 'implementation',
    complexity: 'complex',
    keywords: /\b(video|clip|trailer|sora|animation video|demo reel)\b/,
  },
  svg: {
    effortTask: 'implementation',
    complexity: 'moderate',
    keywords: /\b(svg|icon set|vector|css animation|keyframes?|animated (icon|logo|illustration))\b/,
  },
  image: {
    effortTask: 'implementation',
    complexity: 'moderate',
    keywords: /\b(image|illustration|picture|photo|hero art|banner|og image|favicon|mockup|artwork|render)\b/,
  },
  privacy: {
    effortTask: 'implementation',
    complexity: 'moderate',
    keywords: /\b(private|privacy|confidential|nda|proprietary|credentials?|secrets? analysis|pii|offline only)\b/,
  },
  debug: {
    effortTask: 'debugging',
    complexity: 'complex',
    keywords: /\b(debug|bug|crash|failing|fails|broken|stack ?trace|exception|regression|flaky|error)\b/,
  },
  'plan-review': {
    effortTask: 'plan_review',
    complexity: 'moderate',
    keywords: /\b(review (the |this |my )?(plan|prd|spec|design doc))\b/,
  },
  review: {
    effortTask: 'code_review',
    complexity: 'moderate',
    keywords: /\b(review|audit|second opinion|cross-?check|pull request|pr)\b/,
  },
  research: {
    effortTask: 'simple_search',
    complexity: 'simple',
    keywords: /\b(research|latest|current|web|look up online|news|release notes|compare libraries|which library)\b/,
  },
  architecture: {
    effortTask: 'architecture_decisions',
    complexity: 'complex',
    keywords: /\b(architecture|architect|system design|data model|schema design|migrat(e|ion) strategy)\b/,
  },
  planning: {
    effortTask: 'plan_generation',
    complexity: 'complex',
    keywords: /\b(plan|prd|roadmap|break (it )?down|task list)\b/,
  },
  search: {
    effortTask: 'simple_search',
    complexity: 'simple',
    keywords: /\b(find|search|grep|locate|where is|list all)\b/,
  },
  docs: {
    effortTask: 'documentation',
    complexity: 'simple',
    keywords: /\b(docs?|documentation|readme|changelog|comment|explain)\b/,
  },
  formatting: {
    effortTask: 'formatting',
    complexity: 'simple',
    keywords: /\b(format|lint fix|rename|reorder imports|whitespace)\b/,
  },
  implementation: { effortTask: 'implementation', complexity: 'moderate', keywords: /$^/ },
};

/** Inference order: the most specific intent first, implementation last. */
const INFERENCE_ORDER: Category[] = [
  'video',
  'svg',
  'image',
  'privacy',
  'plan-review',
  'debug',
  'review',
  'research',
  'architecture',
  'planning',
  'formatting',
  'docs',
  'search',
];

export function inferCategory(task: string): { category: Category; matched?: string } {
  const text = task.toLowerCase();
  for (const category of INFERENCE_ORDER) {
    const m = CATEGORY_INFO[category].keywords.exec(text);
    if (m) return { category, matched: m[0] };
  }
  return { category: 'implementation' };
}
