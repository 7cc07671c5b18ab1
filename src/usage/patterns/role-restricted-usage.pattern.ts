import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP } from '../policy/policy.terms.js';
import { iriConstraintProblems, iriOf, where } from './constraint.helpers.js';
import { UsagePatternEvaluator, type ConstraintPattern, type Finding, type UsageContext } from './usage-pattern.contract.js';

/**
 * ROLE_RESTRICTED_USAGE: `ids:USER` HAS_MEMBERSHIP a role IRI (TRUE's Platoon app). Roles are declared by the
 * consumer (FEP_USAGE_ROLES) and checked there; the provider delegates, as for purposes.
 */
@Injectable()
@UsagePatternEvaluator()
export class RoleRestrictedUsagePattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'ROLE_RESTRICTED_USAGE';
  readonly summary = 'use only by users with a role';
  readonly enforcement = 'consumer (against the roles it declares in FEP_USAGE_ROLES); the provider delegates it';
  readonly leftOperand = LEFT.USER;
  readonly template = 'role-restricted-usage.json';
  readonly parameters = [
    { name: 'role', type: 'iri', description: 'the role IRI', example: 'http://example.com/ids-role:riskManager' },
  ] as const;

  check(c: PolicyConstraint): string[] {
    return iriConstraintProblems(c, [OP.HAS_MEMBERSHIP]);
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    const { value } = iriOf(c);
    if (value === undefined || this.check(c).length > 0) return { holds: false, reason: `${where(c)}: malformed` };
    if (context.side === 'provider') {
      return { holds: true, reason: `ROLE_RESTRICTED_USAGE ${where(c)}: enforced by the consumer against its declared roles` };
    }
    const holds = context.roles.includes(value);
    return { holds, reason: `ROLE_RESTRICTED_USAGE ${where(c)}: declared roles are [${context.roles.join(', ')}]` };
  }
}
