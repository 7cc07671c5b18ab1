import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP, securityProfileRank, shortName } from '../policy/policy.terms.js';
import { operatorProblems, where } from './constraint.helpers.js';
import { UsagePatternEvaluator, type ConstraintPattern, type Finding, type UsageContext } from './usage-pattern.contract.js';

/**
 * SECURITY_PROFILE_RESTRICTED_USAGE: `ids:SECURITY_LEVEL` EQUALS (DSC) / EQ (TRUE) a profile, compared as an order
 * base < trust < trust+ (DSC requires equality, so a trust+ connector could not use base data there).
 */
@Injectable()
@UsagePatternEvaluator()
export class SecurityProfileRestrictedUsagePattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'SECURITY_PROFILE_RESTRICTED_USAGE';
  readonly summary = 'use only by connectors with at least this security profile';
  readonly enforcement = "provider (the requester's DAT securityProfile claim) and consumer (its own FEP_SECURITY_PROFILE)";
  readonly leftOperand = LEFT.SECURITY_LEVEL;
  readonly template = 'security-profile-restricted-usage.json';
  readonly parameters = [
    {
      name: 'profile',
      type: 'securityProfile',
      description: 'lowest security profile allowed',
      example: 'https://w3id.org/idsa/code/TRUST_SECURITY_PROFILE',
    },
  ] as const;

  private required(c: PolicyConstraint): string | undefined {
    return c.rightReference ?? c.right?.value;
  }

  check(c: PolicyConstraint): string[] {
    const problems = operatorProblems(c, [OP.EQUALS, OP.EQ, OP.SAME_AS]);
    if (securityProfileRank(this.required(c)) < 0) {
      problems.push(`${c.path}: ${this.required(c) ?? '(none)'} is not a security profile (BASE_, TRUST_ or TRUST_PLUS_SECURITY_PROFILE)`);
    }
    return problems;
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    if (this.check(c).length > 0) return { holds: false, reason: `${where(c)}: malformed` };
    const have = securityProfileRank(context.securityProfile);
    const holds = have >= securityProfileRank(this.required(c));
    const stated = context.securityProfile === undefined ? 'states no security profile' : `has ${shortName(context.securityProfile)}`;
    return { holds, reason: `SECURITY_PROFILE_RESTRICTED_USAGE ${where(c)}: the consumer ${stated}` };
  }
}
