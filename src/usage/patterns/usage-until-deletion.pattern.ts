import { Injectable } from '@nestjs/common';
import type { PolicyConstraint, PolicyDuty } from '../policy/policy.model.js';
import { ACTION, LEFT, OP } from '../policy/policy.terms.js';
import { addDuration, parseDateTimeStamp, parseDuration } from '../policy/xsd.values.js';
import { literalOf, operatorProblems } from './constraint.helpers.js';
import {
  INTERVAL_PARAMETERS,
  UsagePatternEvaluator,
  type DutyPattern,
  type DutyPlan,
  type Finding,
  type UsageContext,
} from './usage-pattern.contract.js';

/**
 * USAGE_UNTIL_DELETION: post-duty `ids:DELETE` with `ids:POLICY_EVALUATION_TIME` TEMPORAL_EQUALS a date and/or
 * `ids:DELAY` DURATION_EQ a duration after receipt (DSC's shape; the infomodel template puts the same
 * constraint in the action's `ids:actionRefinement`). The earlier deadline wins. The consumer deletes the bytes
 * then (file and record); the provider stops handing out data whose deletion date has passed.
 */
@Injectable()
@UsagePatternEvaluator()
export class UsageUntilDeletionPattern implements DutyPattern {
  readonly element = 'duty';
  readonly name = 'USAGE_UNTIL_DELETION';
  readonly summary = 'use until a date or a delay after receipt, then delete';
  readonly enforcement = 'consumer deletes the received bytes at the deadline; provider refuses after the date';
  readonly action = ACTION.DELETE;
  readonly template = 'usage-until-deletion.json';
  readonly parameters = INTERVAL_PARAMETERS;

  private deadline(duty: PolicyDuty): { date?: Date; delayOf?: (from: Date) => Date; problems: string[] } {
    const problems: string[] = [];
    let date: Date | undefined;
    let delayOf: ((from: Date) => Date) | undefined;
    for (const c of duty.constraints) {
      const { value, problems: p } = literalOf(c);
      if (c.leftOperand === LEFT.POLICY_EVALUATION_TIME) {
        problems.push(...operatorProblems(c, [OP.TEMPORAL_EQUALS]), ...p);
        const parsed = value === undefined ? undefined : parseDateTimeStamp(value);
        if (parsed?.ok === false) problems.push(`${c.path}: ${parsed.reason}`);
        else if (parsed?.ok) date = parsed.value;
      } else if (c.leftOperand === LEFT.DELAY) {
        problems.push(...operatorProblems(c, [OP.DURATION_EQ]), ...p);
        const parsed = value === undefined ? undefined : parseDuration(value);
        if (parsed?.ok === false) problems.push(`${c.path}: ${parsed.reason}`);
        else if (parsed?.ok) delayOf = (from: Date) => addDuration(from, parsed.value);
      } else {
        problems.push(unsupported(c));
      }
    }
    if (date === undefined && delayOf === undefined && problems.length === 0) {
      problems.push(
        `${duty.path}: a DELETE duty needs a POLICY_EVALUATION_TIME TEMPORAL_EQUALS <date> or a DELAY DURATION_EQ <duration> constraint`,
      );
    }
    return { ...(date ? { date } : {}), ...(delayOf ? { delayOf } : {}), problems };
  }

  check(duty: PolicyDuty): string[] {
    return this.deadline(duty).problems;
  }

  /** The deletion deadline for data received at `received`, if one can be known. */
  deadlineFor(duty: PolicyDuty, received: Date | undefined): Date | undefined {
    const { date, delayOf, problems } = this.deadline(duty);
    if (problems.length > 0) return undefined;
    const candidates = [date, delayOf && received ? delayOf(received) : undefined].filter((d): d is Date => d !== undefined);
    return candidates.length === 0 ? undefined : new Date(Math.min(...candidates.map((d) => d.getTime())));
  }

  plan(duty: PolicyDuty, context: UsageContext): { finding: Finding; duty?: DutyPlan } {
    if (this.check(duty).length > 0) return { finding: { holds: false, reason: `${duty.path}: malformed DELETE duty` } };
    // The provider does not know when the consumer received earlier copies; a delay runs from now for a new one.
    const at = this.deadlineFor(duty, context.received ?? context.now);
    if (at === undefined) return { finding: { holds: true, reason: `USAGE_UNTIL_DELETION ${duty.path}: no deadline yet` } };
    const holds = context.now < at;
    return {
      finding: {
        holds,
        reason: `USAGE_UNTIL_DELETION ${duty.path}: the data is to be deleted at ${at.toISOString()}${holds ? '' : ', which has passed'}`,
      },
      duty: { action: 'DELETE', at },
    };
  }
}

function unsupported(c: PolicyConstraint): string {
  return `${c.path}: a DELETE duty takes POLICY_EVALUATION_TIME or DELAY constraints, not ${c.leftOperand ?? '(none)'}`;
}
