/** A validation finding: errors fail validation, warnings are advice. */
export interface Problem {
  level: 'error' | 'warning';
  /** Stable code for tests and tooling, e.g. "missing_section". */
  code: string;
  message: string;
  file?: string;
  line?: number;
}

export interface ValidationResult {
  ok: boolean;
  problems: Problem[];
}

export const result = (problems: Problem[]): ValidationResult => ({
  ok: !problems.some((p) => p.level === 'error'),
  problems,
});

/** Template text a finished document must not still contain. */
export const SPEC_PLACEHOLDERS = [
  '[Brief Title]',
  '[unique id, e.g. CS-001]',
  '[model name]',
  '[timestamp]',
  '[P0/P1/P2]',
  '[1-3 sentences: what this code change accomplishes and why]',
  'path/to/file.rs',
  'path/to/new_file.rs',
  'path/to/old_file.rs',
  '[precise description of what to add/change/remove]',
  '[what this file does]',
  '[why this file is being removed]',
  '[what it verifies]',
  '[things the Coder must not change]',
  '[package]',
];

export const REPORT_PLACEHOLDERS = [
  '[Spec ID]',
  '[model name]',
  '[timestamp]',
  '[link to code_spec.md]',
  '[1-3 sentences: what was implemented]',
  'path/to/file.rs',
  'path/to/new.rs',
  '[+N / -N]',
  '[paste test output]',
  '[PASS / FAIL with details]',
  '[paste cargo check / clippy output summary]',
  '[CLEAN / WARNINGS / ERRORS with details]',
  '[List any questions, ambiguities, or decisions that need Architect input.',
  '[List any places where the implementation differs from the Code Spec.',
];

export function placeholderProblems(text: string, placeholders: string[], file?: string): Problem[] {
  const lines = text.split('\n');
  return placeholders
    .flatMap((p) => {
      const index = lines.findIndex((l) => l.includes(p));
      return index < 0
        ? []
        : [
            {
              level: 'error' as const,
              code: 'placeholder',
              message: `template placeholder left in: "${p}"`,
              file,
              line: index + 1,
            },
          ];
    })
    .sort((a, b) => a.line - b.line);
}
