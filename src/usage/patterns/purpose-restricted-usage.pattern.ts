import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP } from '../policy/policy.terms.js';
import { iriConstraintProblems, iriOf, where } from './constraint.helpers.js';
import { UsagePatternEvaluator, type ConstraintPattern, type Finding, type UsageContext } from './usage-pattern.contract.js';

/**
 * PURPOSE_RESTRICTED_USAGE: `ids:PURPOSE` SAME_AS a purpose IRI (TRUE's Platoon app). The purpose is declared by
 * the consumer (FEP_USAGE_PURPOSES; TRUE asks a PIP endpoint of the consumer instead) and checked where it is
 * known, on the consumer. The provider cannot observe it: it hands the data out to the consumer that accepted
 * the constraint and says so in the decision.
 */
@Injectable()
@UsagePatternEvaluator()
export class PurposeRestrictedUsagePattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'PURPOSE_RESTRICTED_USAGE';
  readonly summary = 'use only for a declared purpose';
  readonly enforcement = 'consumer (against the purposes it declares in FEP_USAGE_PURPOSES); the provider delegates it';
  readonly leftOperand = LEFT.PURPOSE;
  readonly template = 'purpose-restricted-usage.json';
  readonly parameters = [
    { name: 'purpose', type: 'iri', description: 'the purpose IRI', example: 'http://example.com/ids-purpose:Marketing' },
  ] as const;
  private readonly operators = [OP.SAME_AS, OP.EQUALS, OP.EQ];

  check(c: PolicyConstraint): string[] {
    return iriConstraintProblems(c, this.operators);
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    const { value } = iriOf(c);
    if (value === undefined || this.check(c).length > 0) return { holds: false, reason: `${where(c)}: malformed` };
    if (context.side === 'provider') {
      return { holds: true, reason: `PURPOSE_RESTRICTED_USAGE ${where(c)}: enforced by the consumer against its declared purposes` };
    }
    const holds = context.purposes.includes(value);
    return { holds, reason: `PURPOSE_RESTRICTED_USAGE ${where(c)}: declared purposes are [${context.purposes.join(', ')}]` };
  }
}
