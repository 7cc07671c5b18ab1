/**
 * Extension point: one evaluator per IDS usage-policy pattern (the Dataspace Connector's catalogue,
 * common/ids/policy/PolicyPattern.java and its v6 documentation, usage-control.md). A pattern claims one element of a rule: a constraint by its left operand, a duty by
 * its action, or a whole rule (a permission without constraints, a prohibition). Evaluators are pure: time and
 * everything else about the use come in the UsageContext. `@UsagePatternEvaluator()` marks them for the registry.
 */
import { DiscoveryService } from '@nestjs/core';
import type { PolicyConstraint, PolicyDuty } from '../policy/policy.model.js';

export const PATTERN_NAMES = [
  'PROVIDE_ACCESS',
  'PROHIBIT_ACCESS',
  'N_TIMES_USAGE',
  'USAGE_DURING_INTERVAL',
  'DURATION_USAGE',
  'USAGE_UNTIL_DELETION',
  'USAGE_LOGGING',
  'USAGE_NOTIFICATION',
  'CONNECTOR_RESTRICTED_USAGE',
  'SECURITY_PROFILE_RESTRICTED_USAGE',
  'PURPOSE_RESTRICTED_USAGE',
  'ROLE_RESTRICTED_USAGE',
] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

export type Side = 'provider' | 'consumer';

/** Everything an evaluator may know about one use. */
export interface UsageContext {
  /** Where the decision is made: the provider before it hands data out, the consumer before it reads it. */
  side: Side;
  now: Date;
  /** When the agreement started (`ids:contractStart`, else `ids:contractDate`, else when it was stored). */
  agreementStart: Date;
  /** The consumer connector: the requester's checked `ids:issuerConnector` (provider side), our own id (consumer side). */
  consumerConnector: string;
  /** The consumer's security profile: its DAT claim (provider side), our own (consumer side); undefined if unknown. */
  securityProfile?: string;
  /** Purposes and roles the consumer declares (consumer side: FEP_USAGE_PURPOSES, FEP_USAGE_ROLES). */
  purposes: readonly string[];
  roles: readonly string[];
  /** Uses already made under this agreement for this target, on this side. */
  uses: number;
  /** When the consumer received the data (consumer side): deletion delays count from here. */
  received?: Date;
  /**
   * Clock difference tolerated between the two connectors for the agreement's start, which the other side's
   * clock stamped (FEP_DAPS_SKEW_SECONDS, as for DAT times).
   */
  skewMs?: number;
}

/** One evaluated element: does it hold, and why (always said). */
export interface Finding {
  holds: boolean;
  reason: string;
  /** N_TIMES_USAGE: the most uses this constraint allows (the enforcer claims one atomically). */
  limit?: number;
}

/** A duty the enforcer carries out for a permitted use, before the data is handed out or read. */
export type DutyPlan = { action: 'LOG' } | { action: 'NOTIFY'; endpoint: string } | { action: 'DELETE'; at: Date };

export interface PatternParameter {
  name: string;
  type: 'count' | 'dateTimeStamp' | 'duration' | 'iri' | 'securityProfile';
  description: string;
  example: string;
}

/** The two instants of an interval (USAGE_DURING_INTERVAL, and USAGE_UNTIL_DELETION whose end is the deletion). */
export const INTERVAL_PARAMETERS: readonly PatternParameter[] = [
  { name: 'start', type: 'dateTimeStamp', description: 'first instant after which use is allowed', example: '2026-01-01T00:00:00Z' },
  {
    name: 'end',
    type: 'dateTimeStamp',
    description: 'instant before which use is allowed (USAGE_UNTIL_DELETION: when the data is deleted)',
    example: '2027-01-01T00:00:00Z',
  },
];

interface PatternInfo {
  readonly name: PatternName;
  readonly summary: string;
  /** Where it is checked, said in the pattern list. */
  readonly enforcement: string;
  /** Placeholders (`{{name}}`) of its template in `policies/<template>`, besides `{{target}}`. */
  readonly parameters: readonly PatternParameter[];
  /** File name of its offer template in `policies/`. */
  readonly template: string;
}

export interface ConstraintPattern extends PatternInfo {
  readonly element: 'constraint';
  readonly leftOperand: string;
  /** Static problems: unsupported operator, malformed right operand. Empty when enforceable. */
  check(constraint: PolicyConstraint): string[];
  evaluate(constraint: PolicyConstraint, context: UsageContext): Finding;
}

export interface DutyPattern extends PatternInfo {
  readonly element: 'duty';
  readonly action: string;
  check(duty: PolicyDuty): string[];
  /** The duty to carry out, or why the use cannot go ahead (a deletion deadline that has passed). */
  plan(duty: PolicyDuty, context: UsageContext): { finding: Finding; duty?: DutyPlan };
}

export interface RulePattern extends PatternInfo {
  readonly element: 'rule';
  /** PROVIDE_ACCESS: a permission with neither constraints nor duties; PROHIBIT_ACCESS: a prohibition. */
  readonly ruleKind: 'permission' | 'prohibition';
  evaluate(ruleId: string): Finding;
}

export type UsagePattern = ConstraintPattern | DutyPattern | RulePattern;

export const UsagePatternEvaluator = DiscoveryService.createDecorator<void>();
