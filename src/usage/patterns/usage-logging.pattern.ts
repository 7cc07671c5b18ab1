import { Injectable } from '@nestjs/common';
import type { PolicyDuty } from '../policy/policy.model.js';
import { ACTION } from '../policy/policy.terms.js';
import { UsagePatternEvaluator, type DutyPattern, type Finding, type DutyPlan } from './usage-pattern.contract.js';

/**
 * USAGE_LOGGING: post-duty `ids:LOG`. Each use is recorded in the same database transaction as the use itself
 * (the usage log; the clearing house gets it from there), so a use whose record cannot be written is denied.
 */
@Injectable()
@UsagePatternEvaluator()
export class UsageLoggingPattern implements DutyPattern {
  readonly element = 'duty';
  readonly name = 'USAGE_LOGGING';
  readonly summary = 'log every use';
  readonly enforcement = 'provider and consumer: a usage-log record written with the use (failure denies)';
  readonly action = ACTION.LOG;
  readonly template = 'usage-logging.json';
  readonly parameters = [] as const;

  check(duty: PolicyDuty): string[] {
    return duty.constraints.length === 0
      ? []
      : [`${duty.path}: a LOG duty takes no constraint (the log goes to this connector's usage log and clearing house)`];
  }

  plan(duty: PolicyDuty): { finding: Finding; duty: DutyPlan } {
    return { finding: { holds: true, reason: `USAGE_LOGGING ${duty.path}: the use will be logged` }, duty: { action: 'LOG' } };
  }
}
