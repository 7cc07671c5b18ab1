import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PolicyDuty } from '../policy/policy.model.js';
import { ACTION, LEFT, OP } from '../policy/policy.terms.js';
import { iriOf, operatorProblems } from './constraint.helpers.js';
import { UsagePatternEvaluator, type DutyPattern, type DutyPlan, type Finding } from './usage-pattern.contract.js';

/** Injection token of the URL prefixes NOTIFY duties may post to (FEP_USAGE_NOTIFY_ALLOWED). */
export const NOTIFY_ALLOWED = Symbol('NOTIFY_ALLOWED');

/**
 * USAGE_NOTIFICATION: post-duty `ids:NOTIFY` with `ids:ENDPOINT` DEFINES_AS an http(s) URL (DSC). Failure denies.
 * The endpoint must start with one of the allowed prefixes: the other side writes the URL, and this connector
 * would post to it on every use, from inside its own network (a request forgery otherwise). None allowed unless
 * configured.
 */
@Injectable()
@UsagePatternEvaluator()
export class UsageNotificationPattern implements DutyPattern {
  readonly element = 'duty';
  readonly name = 'USAGE_NOTIFICATION';
  readonly summary = 'notify an endpoint of every use';
  readonly enforcement = 'provider and consumer: an HTTP POST to the endpoint before the data is handed out (failure denies)';
  readonly action = ACTION.NOTIFY;
  readonly template = 'usage-notification.json';
  readonly parameters = [
    {
      name: 'endpoint',
      type: 'iri',
      description: 'http(s) URL notified of each use',
      example: 'https://provider.example.org/usage-notifications',
    },
  ] as const;

  constructor(@Optional() @Inject(NOTIFY_ALLOWED) private readonly allowed: readonly string[] = []) {}

  private endpoint(duty: PolicyDuty): { endpoint?: string; problems: string[] } {
    const endpoints = duty.constraints.filter((c) => c.leftOperand === LEFT.ENDPOINT);
    const others = duty.constraints
      .filter((c) => c.leftOperand !== LEFT.ENDPOINT)
      .map((c) => `${c.path}: a NOTIFY duty takes only an ENDPOINT constraint`);
    if (endpoints.length !== 1) {
      return { problems: [...others, `${duty.path}: a NOTIFY duty needs exactly one ENDPOINT DEFINES_AS <url> constraint`] };
    }
    const c = endpoints[0];
    const { value, problems } = iriOf(c);
    problems.push(...others, ...operatorProblems(c, [OP.DEFINES_AS]));
    if (value !== undefined && !/^https?:\/\//.test(value)) {
      problems.push(`${c.path}: the endpoint must be an http(s) URL`);
    } else if (value !== undefined && !this.allowed.some((prefix) => value.startsWith(prefix))) {
      problems.push(
        `${c.path}: the endpoint ${value} is not allowed (FEP_USAGE_NOTIFY_ALLOWED: ${this.allowed.length === 0 ? 'none configured' : this.allowed.join(', ')})`,
      );
    }
    return problems.length > 0 || value === undefined ? { problems } : { endpoint: value, problems };
  }

  check(duty: PolicyDuty): string[] {
    return this.endpoint(duty).problems;
  }

  plan(duty: PolicyDuty): { finding: Finding; duty?: DutyPlan } {
    const { endpoint } = this.endpoint(duty);
    if (endpoint === undefined) return { finding: { holds: false, reason: `${duty.path}: malformed NOTIFY duty` } };
    return {
      finding: { holds: true, reason: `USAGE_NOTIFICATION ${duty.path}: ${endpoint} will be notified` },
      duty: { action: 'NOTIFY', endpoint },
    };
  }
}
