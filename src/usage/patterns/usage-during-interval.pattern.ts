import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP } from '../policy/policy.terms.js';
import { parseDateTimeStamp } from '../policy/xsd.values.js';
import { literalOf, operatorProblems, where } from './constraint.helpers.js';
import {
  INTERVAL_PARAMETERS,
  UsagePatternEvaluator,
  type ConstraintPattern,
  type Finding,
  type UsageContext,
} from './usage-pattern.contract.js';

/** USAGE_DURING_INTERVAL: `ids:POLICY_EVALUATION_TIME` AFTER start and/or BEFORE end, both exclusive (as DSC). */
@Injectable()
@UsagePatternEvaluator()
export class UsageDuringIntervalPattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'USAGE_DURING_INTERVAL';
  readonly summary = 'use only after a start and before an end (xsd:dateTimeStamp, exclusive)';
  readonly enforcement = 'provider and consumer, on every use';
  readonly leftOperand = LEFT.POLICY_EVALUATION_TIME;
  readonly template = 'usage-during-interval.json';
  readonly parameters = INTERVAL_PARAMETERS;

  private instant(c: PolicyConstraint): { at?: Date; problems: string[] } {
    const problems = operatorProblems(c, [OP.AFTER, OP.BEFORE]);
    const { value, problems: p } = literalOf(c);
    problems.push(...p);
    if (value === undefined) return { problems };
    const parsed = parseDateTimeStamp(value);
    return parsed.ok ? { at: parsed.value, problems } : { problems: [...problems, `${c.path}: ${parsed.reason}`] };
  }

  check(c: PolicyConstraint): string[] {
    return this.instant(c).problems;
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    const { at, problems } = this.instant(c);
    if (at === undefined || problems.length > 0) return { holds: false, reason: `${where(c)}: malformed` };
    const now = context.now.toISOString();
    const holds = c.operator === OP.AFTER ? context.now > at : context.now < at;
    return { holds, reason: `USAGE_DURING_INTERVAL ${where(c)}: it is ${now}${holds ? '' : ', outside the interval'}` };
  }
}
