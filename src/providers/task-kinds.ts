import { fillTemplate } from '../util/template.ts';
import recheckTemplate from './prompts/recheck.md';

/** Design §5.3: mitigates Codex's tendency to overfit to its own first hypothesis. */
export const RECHECK_INSTRUCTION = fillTemplate(recheckTemplate);
