import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP } from '../policy/policy.terms.js';
import { addDuration, parseDuration, type Duration } from '../policy/xsd.values.js';
import { literalOf, operatorProblems, where } from './constraint.helpers.js';
import { UsagePatternEvaluator, type ConstraintPattern, type Finding, type UsageContext } from './usage-pattern.contract.js';

/**
 * DURATION_USAGE: `ids:ELAPSED_TIME` SHORTER_EQ (or SHORTER) an xsd:duration, counted from the agreement's start
 * on both sides (DSC counts from when the consumer stored the artifact, so a re-fetch restarts its clock).
 */
@Injectable()
@UsagePatternEvaluator()
export class DurationUsagePattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'DURATION_USAGE';
  readonly summary = 'use for a duration counted from the agreement (xsd:duration)';
  readonly enforcement = 'provider and consumer, on every use';
  readonly leftOperand = LEFT.ELAPSED_TIME;
  readonly template = 'duration-usage.json';
  readonly parameters = [
    { name: 'duration', type: 'duration', description: 'how long after the agreement use is allowed', example: 'P30D' },
  ] as const;

  private duration(c: PolicyConstraint): { duration?: Duration; problems: string[] } {
    const problems = operatorProblems(c, [OP.SHORTER_EQ, OP.SHORTER]);
    const { value, problems: p } = literalOf(c);
    problems.push(...p);
    if (value === undefined) return { problems };
    const parsed = parseDuration(value);
    if (!parsed.ok) return { problems: [...problems, `${c.path}: ${parsed.reason}`] };
    if (parsed.value.negative) return { problems: [...problems, `${c.path}: a negative duration allows nothing`] };
    return { duration: parsed.value, problems };
  }

  check(c: PolicyConstraint): string[] {
    return this.duration(c).problems;
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    const { duration, problems } = this.duration(c);
    if (duration === undefined || problems.length > 0) return { holds: false, reason: `${where(c)}: malformed` };
    const until = addDuration(context.agreementStart, duration);
    const holds = c.operator === OP.SHORTER ? context.now < until : context.now <= until;
    return {
      holds,
      reason: `DURATION_USAGE ${where(c)}: allowed until ${until.toISOString()} (from the agreement's start ${context.agreementStart.toISOString()})${holds ? '' : ', expired'}`,
    };
  }
}
