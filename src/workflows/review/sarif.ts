/**
 * SARIF 2.1.0 for CI code scanning (GitHub uploads it with codeql-action/upload-sarif).
 * One run per reviewer; a review that could not run becomes a tool execution
 * notification with executionSuccessful=false, never an empty (clean-looking) run.
 */
import type { Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import type { DiffReviewResult } from './diff-review.ts';
import { SEVERITIES, type DiffFinding, type Severity } from './verdicts.ts';

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const RULES: ReportingDescriptor[] = SEVERITIES.map((s) => ({
  id: `mm-review/${s}`,
  shortDescription: { text: `${s} finding from an external model review` },
  defaultConfiguration: { level: LEVEL[s] },
}));

export function toSarif(reviews: DiffReviewResult[], version: string): Log {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: reviews.map((r) => toRun(r, version)) };
}

function toRun(r: DiffReviewResult, version: string): Run {
  const couldNotRun: Notification[] =
    r.status === 'ok'
      ? []
      : [{ level: 'error', message: { text: `review could not run (${r.status}): ${r.error ?? ''}`.trim() } }];
  return {
    tool: {
      driver: {
        name: `mm review diff (${r.reviewer.model})`,
        informationUri: 'https://github.com/multimodel/multimodel',
        version,
        rules: RULES,
      },
    },
    automationDetails: { id: `mm-review/${r.reviewer.provider}/` },
    invocations: [
      {
        executionSuccessful: r.status === 'ok',
        ...(couldNotRun.length ? { toolExecutionNotifications: couldNotRun } : {}),
      },
    ],
    properties: { verdict: r.verdict?.verdict ?? null, status: r.status, summary: r.verdict?.summary ?? null },
    results: (r.verdict?.findings ?? []).map(toResult),
  };
}

function toResult(f: DiffFinding): Result {
  return {
    ruleId: `mm-review/${f.severity}`,
    level: LEVEL[f.severity],
    message: { text: `${f.detail}\nRecommendation: ${f.recommendation}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file.replace(/\\/g, '/'), uriBaseId: '%SRCROOT%' },
          // SARIF lines are 1-based; a finding on "line 0" (the file as a whole) points at line 1.
          region: { startLine: Math.max(1, f.line_start), endLine: Math.max(1, f.line_end, f.line_start) },
        },
      },
    ],
  };
}
