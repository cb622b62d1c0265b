/**
 * The pipeline's role teams (fwber orchestration design: parallel analysis → synthesis →
 * parallel implementation → final integration), mapped onto the current model line.
 * Data: each role's question and default model chain; `[pipeline.roles.<role>]` in the
 * config replaces a chain.
 */
import type { RouteChain } from '../../config/schema.ts';

export interface Role {
  key: string;
  title: string;
  ask: string;
  chain: RouteChain;
}

export interface ImplementationRole extends Role {
  /** "patch": writes the change; "review": reads the patch roles' answers and reviews them. */
  produces: 'patch' | 'review';
}

export const ANALYSIS_ROLES: readonly Role[] = [
  {
    key: 'architect',
    title: 'Architect',
    ask: 'Design the change: components, interfaces, data flow, the files to create or modify, and the order to build them in.',
    chain: { primary: 'gpt-5.2', fallback: ['claude-opus-4-6'] },
  },
  {
    key: 'security',
    title: 'Security',
    ask: 'Review the task for security: trust boundaries, input validation, secrets, authentication and authorisation, what must be tested.',
    chain: { primary: 'gpt-5.2', fallback: ['claude-opus-4-6'] },
  },
  {
    key: 'critic',
    title: 'Critic',
    ask: 'Find what the obvious design misses: edge cases, failure modes, conflicting requirements, simpler alternatives.',
    chain: { primary: 'gemini-3.1-pro', fallback: ['claude-sonnet-4-6'] },
  },
];

export const SYNTHESIZER: Role = {
  key: 'synthesizer',
  title: 'Synthesiser',
  ask: 'Merge the analyses into one plan, resolving their conflicts, written as a Code Spec.',
  chain: { primary: 'claude-opus-4-6', fallback: ['claude-sonnet-4-6'] },
};

export const IMPLEMENTATION_ROLES: readonly ImplementationRole[] = [
  {
    key: 'implementer',
    title: 'Implementer',
    ask: 'Implement the Code Spec completely, including its tests.',
    produces: 'patch',
    chain: { primary: 'gpt-5.3-codex', fallback: ['claude-sonnet-4-6'] },
  },
  {
    key: 'optimizer',
    title: 'Optimizer',
    ask: 'Implement the Code Spec with performance in mind (allocations, queries, complexity), including its tests; say what you optimised and why.',
    produces: 'patch',
    chain: { primary: 'gpt-5.3-codex', fallback: ['claude-sonnet-4-6'] },
  },
  {
    key: 'reviewer',
    title: 'Reviewer',
    ask: 'Review the proposed implementations against the Code Spec: correctness, missing tests, guardrail violations. Name the better one and why.',
    produces: 'review',
    chain: { primary: 'gemini-3.1-pro', fallback: ['gpt-5.2', 'claude-sonnet-4-6'] },
  },
];

export const ALL_ROLES: readonly Role[] = [...ANALYSIS_ROLES, SYNTHESIZER, ...IMPLEMENTATION_ROLES];
