/** Small checks every constraint evaluator shares. Pure. */
import type { PolicyConstraint } from '../policy/policy.model.js';
import { shortName } from '../policy/policy.terms.js';

export function where(c: PolicyConstraint): string {
  return `${c.path} (${shortName(c.leftOperand ?? '?')} ${shortName(c.operator ?? '?')} ${c.rightReference ?? c.right?.value ?? '?'})`;
}

/** A problem unless the operator is one of `allowed`. */
export function operatorProblems(c: PolicyConstraint, allowed: readonly string[]): string[] {
  if (c.operator !== undefined && allowed.includes(c.operator)) return [];
  return [
    `${c.path}: operator ${shortName(c.operator ?? '(none)')} is not supported with ${shortName(c.leftOperand ?? '?')} (supported: ${allowed.map(shortName).join(', ')})`,
  ];
}

/** A literal right operand, or a problem. */
export function literalOf(c: PolicyConstraint): { value?: string; problems: string[] } {
  if (c.right === undefined) return { problems: [`${c.path}: needs a literal ids:rightOperand`] };
  return { value: c.right.value, problems: [] };
}

/** An IRI right operand (`ids:rightOperandReference`, `{"@id"}` or a literal typed xsd:anyURI), or a problem. */
export function iriOf(c: PolicyConstraint): { value?: string; problems: string[] } {
  const value = c.rightReference ?? c.right?.value;
  if (value === undefined || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) {
    return { problems: [`${c.path}: the right operand must be an IRI, got ${value ?? '(none)'}`] };
  }
  return { value, problems: [] };
}

/** Problems of a constraint whose right operand is an IRI compared with one of `operators`. */
export function iriConstraintProblems(c: PolicyConstraint, operators: readonly string[]): string[] {
  return [...operatorProblems(c, operators), ...iriOf(c).problems];
}
