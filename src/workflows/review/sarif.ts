/**
 * SARIF 2.1.0 for CI code scanning (GitHub uploads it with codeql-action/upload-sarif).
 * One run per reviewer; a review that could not run becomes a tool execution
 * notification with executionSuccessful=false, never an empty (clean-looking) run.
 */
import type { DiffReviewResult } from './diff-review.ts';
import type { Severity } from './verdicts.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function toSarif(reviews: DiffReviewResult[], version: string): Record<string, unknown> {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: reviews.map((r) => ({
      tool: {
        driver: {
          name: `mm review diff (${r.reviewer.model})`,
          informationUri: 'https://github.com/multimodel/multimodel',
          version,
          rules: (['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => ({
            id: `mm-review/${s}`,
            shortDescription: { text: `${s} finding from an external model review` },
            defaultConfiguration: { level: LEVEL[s] },
          })),
        },
      },
      automationDetails: { id: `mm-review/${r.reviewer.provider}/` },
      invocations: [
        {
          executionSuccessful: r.status === 'ok',
          ...(r.status === 'ok'
            ? {}
            : {
                toolExecutionNotifications: [
                  { level: 'error', message: { text: `review could not run (${r.status}): ${r.error ?? ''}`.trim() } },
                ],
              }),
        },
      ],
      properties: { verdict: r.verdict?.verdict ?? null, status: r.status, summary: r.verdict?.summary ?? null },
      results: (r.verdict?.findings ?? []).map((f) => ({
        ruleId: `mm-review/${f.severity}`,
        level: LEVEL[f.severity],
        message: { text: `${f.detail}\nRecommendation: ${f.recommendation}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: f.file.replace(/\\/g, '/'), uriBaseId: '%SRCROOT%' },
              region: { startLine: Math.max(1, f.line_start), endLine: Math.max(1, f.line_end, f.line_start) },
            },
          },
        ],
      })),
    })),
  };
}
