/**
 * Task categories of the routing tree (design §4.2, usage spec quick table) and the words
 * that let `mm route --task "…"` infer one when `--category` is absent. Each category's
 * effort row and complexity are in the task table (tasks.ts), under the category's name.
 */

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

/** Lower-case patterns matched against the task text, in inference order below. */
const KEYWORDS: Record<Category, RegExp> = {
  video: /\b(video|clip|trailer|sora|animation video|demo reel)\b/,
  svg: /\b(svg|icon set|vector|css animation|keyframes?|animated (icon|logo|illustration))\b/,
  image: /\b(image|illustration|picture|photo|hero art|banner|og image|favicon|mockup|artwork|render)\b/,
  privacy: /\b(private|privacy|confidential|nda|proprietary|credentials?|secrets? analysis|pii|offline only)\b/,
  debug: /\b(debug|bug|crash|failing|fails|broken|stack ?trace|exception|regression|flaky|error)\b/,
  'plan-review': /\b(review (the |this |my )?(plan|prd|spec|design doc))\b/,
  review: /\b(review|audit|second opinion|cross-?check|pull request|pr)\b/,
  research: /\b(research|latest|current|web|look up online|news|release notes|compare libraries|which library)\b/,
  architecture: /\b(architecture|architect|system design|data model|schema design|migrat(e|ion) strategy)\b/,
  planning: /\b(plan|prd|roadmap|break (it )?down|task list)\b/,
  search: /\b(find|search|grep|locate|where is|list all)\b/,
  docs: /\b(docs?|documentation|readme|changelog|comment|explain)\b/,
  formatting: /\b(format|lint fix|rename|reorder imports|whitespace)\b/,
  implementation: /$^/,
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
    const m = KEYWORDS[category].exec(text);
    if (m) return { category, matched: m[0] };
  }
  return { category: 'implementation' };
}
