import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP } from '../policy/policy.terms.js';
import { parseCount } from '../policy/xsd.values.js';
import { literalOf, operatorProblems, where } from './constraint.helpers.js';
import { UsagePatternEvaluator, type ConstraintPattern, type Finding, type UsageContext } from './usage-pattern.contract.js';

/**
 * N_TIMES_USAGE: `ids:COUNT` LTEQ n (DSC) or LT n. Counted per agreement and target on each side; the enforcer
 * claims a use atomically in the database (the Dataspace Connector's counter is not atomic: its v6 usage-control.md).
 */
@Injectable()
@UsagePatternEvaluator()
export class NTimesUsagePattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'N_TIMES_USAGE';
  readonly summary = 'use at most n times';
  readonly enforcement = 'provider (each artifact request) and consumer (each read), atomic counter per agreement and target';
  readonly leftOperand = LEFT.COUNT;
  readonly template = 'n-times-usage.json';
  readonly parameters = [{ name: 'count', type: 'count', description: 'how many uses are allowed', example: '5' }] as const;

  private limit(c: PolicyConstraint): { limit?: number; problems: string[] } {
    const problems = operatorProblems(c, [OP.LTEQ, OP.LT]);
    const { value, problems: p } = literalOf(c);
    problems.push(...p);
    if (value === undefined) return { problems };
    const count = parseCount(value);
    if (!count.ok) return { problems: [...problems, `${c.path}: ${count.reason}`] };
    return { limit: c.operator === OP.LT ? Math.max(0, count.value - 1) : count.value, problems };
  }

  check(c: PolicyConstraint): string[] {
    return this.limit(c).problems;
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    const { limit } = this.limit(c);
    if (limit === undefined) return { holds: false, reason: `${where(c)}: malformed` };
    const holds = context.uses < limit;
    return { holds, limit, reason: `N_TIMES_USAGE ${where(c)}: ${context.uses} of ${limit} uses made${holds ? '' : ', none left'}` };
  }
}
