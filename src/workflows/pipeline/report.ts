/** Phase D's report as Markdown (outputs/report.md); the JSON twin is the PipelineReport itself. */
import type { PipelineReport } from './run.ts';

export function pipelineMarkdown(r: PipelineReport): string {
  const verdict = r.recommended ? `${r.recommended} recommended` : 'no patch ready';
  const phases = (['analysis', 'synthesis', 'implementation'] as const).flatMap((phase) => {
    const rows = r.roles.filter((x) => x.phase === phase);
    return [
      `### ${phase[0]!.toUpperCase()}${phase.slice(1)}`,
      ...rows.map((x) =>
        x.ok ? `- ${x.role} (${x.model}): \`${x.file}\`` : `- ${x.role} (${x.model}): no answer — ${x.error}`,
      ),
      '',
    ];
  });
  return [
    `# Pipeline report — ${verdict}`,
    '',
    `Task: ${r.task}`,
    '',
    `Base ${r.base.slice(0, 12)} · run ${r.run_id}`,
    '',
    '## Roles',
    '',
    ...phases,
    '## Code Spec',
    '',
    `\`${r.spec.file}\` validates${r.spec.repaired ? ' (after one repair round)' : ''}${
      r.spec.warnings.length ? `; warnings: ${r.spec.warnings.map((w) => w.message).join('; ')}` : ''
    }.`,
    '',
    '## Patches (each applied and verified in its own scratch clone)',
    '',
    ...(r.candidates.length
      ? r.candidates.map(
          (c) =>
            `- ${c.role}: ${c.files.length ? c.files.map((f) => `\`${f}\``).join(', ') : `nothing (${c.note})`}${
              c.patch_file ? ` → \`${c.patch_file}\`` : ''
            }${c.verification.length ? `; ${c.verification.map((v) => `${v.passed ? 'passed' : v.timedOut ? 'timed out' : `failed (exit ${v.exitCode})`}: \`${v.command}\``).join(', ')}` : ''}`,
        )
      : ['None.']),
    ...(r.candidates.length && r.candidates.every((c) => c.verification.length === 0)
      ? ['', 'No verification commands configured ([develop] verify).']
      : []),
    '',
    '## Conflicts',
    '',
    ...(r.conflicts.length
      ? r.conflicts.map((c) => `- \`${c.file}\` changed by ${c.roles.join(' and ')}: alternatives, apply one`)
      : ['None.']),
    '',
    r.recommended
      ? `${r.recommended} recommended: ${r.recommended_why ?? ''}. Apply to your tree after review: mm pipeline apply ${r.run_id} (or --role ROLE for another patch)`
      : `Nothing is ready to apply; read the answers, or apply one patch anyway: mm pipeline apply ${r.run_id} --role ROLE`,
    '',
  ].join('\n');
}
