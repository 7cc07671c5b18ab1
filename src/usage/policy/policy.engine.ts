/**
 * The policy decision point. Deny by default: a use is permitted only when a permission for the target and
 * action USE holds in full (every constraint, a conjunction, and every duty can be carried out) and no
 * prohibition applies. Anything the engine does not understand (a left operand no pattern claims, an operator
 * or right operand a pattern rejects, a logical constraint, an unknown duty) makes the policy unenforceable,
 * and an unenforceable policy permits nothing. Every decision says why. Pure: time and facts come in the context.
 */
import type { DutyPlan, Finding, UsageContext } from '../patterns/usage-pattern.contract.js';
import type { PatternRegistry } from '../patterns/pattern.registry.js';
import type { Policy, PolicyDuty, PolicyRule } from './policy.model.js';
import { ACTION, shortName } from './policy.terms.js';
import { parseDateTimeStamp } from './xsd.values.js';

export interface Decision {
  permit: boolean;
  reasons: string[];
  /** The tightest N_TIMES_USAGE limit of the permitting rule: the enforcer claims a use against it atomically. */
  limit?: number;
  /** Duties to carry out for this use (LOG, NOTIFY, DELETE). */
  duties: DutyPlan[];
  /** The permitting rule. */
  rule?: string;
}

const deny = (reasons: string[]): Decision => ({ permit: false, reasons, duties: [] });

export class PolicyEngine {
  constructor(private readonly patterns: PatternRegistry) {}

  /** The usage patterns a policy is made of (for the decision metrics), each once, in a stable order. */
  patternsOf(policy: Policy): string[] {
    const names = new Set<string>();
    for (const rule of policy.rules) {
      if (rule.kind !== 'obligation' && rule.constraints.length === 0) {
        const pattern = this.patterns.forRule(rule.kind);
        if (pattern !== undefined) names.add(pattern.name);
      }
      for (const c of rule.constraints) {
        const pattern = c.leftOperand === undefined ? undefined : this.patterns.forConstraint(c.leftOperand);
        if (pattern !== undefined) names.add(pattern.name);
      }
      for (const duty of [...rule.preDuties, ...rule.postDuties]) {
        const pattern = this.patterns.forDuty(duty.actions[0] ?? '');
        if (pattern !== undefined) names.add(pattern.name);
      }
    }
    return [...names].sort();
  }

  /** Why this policy cannot be enforced by this connector; empty when it can. */
  problems(policy: Policy): string[] {
    const problems: string[] = [];
    if (policy.rules.length === 0) problems.push('the contract has no rule');
    for (const [name, value] of [
      ['ids:contractStart', policy.start],
      ['ids:contractEnd', policy.end],
    ] as const) {
      const parsed = value === undefined ? undefined : parseDateTimeStamp(value);
      if (parsed?.ok === false) problems.push(`${name}: ${parsed.reason}`);
    }
    for (const rule of policy.rules) problems.push(...this.ruleProblems(rule));
    return problems;
  }

  private ruleProblems(rule: PolicyRule): string[] {
    if (rule.kind === 'obligation') return this.dutyProblems({ path: rule.path, actions: rule.actions, constraints: rule.constraints });
    const problems: string[] = [];
    if (rule.actions.length === 0) problems.push(`${rule.path}: no ids:action`);
    for (const action of rule.actions) {
      if (action !== ACTION.USE) problems.push(`${rule.path}: action ${shortName(action)} is not enforced by this connector (only USE)`);
    }
    for (const c of rule.constraints) {
      if (c.logical) {
        problems.push(`${c.path}: ids:LogicalConstraint is not supported; list constraints on the rule (they are a conjunction)`);
      } else if (c.leftOperand === undefined) {
        problems.push(`${c.path}: no ids:leftOperand`);
      } else {
        const pattern = this.patterns.forConstraint(c.leftOperand);
        if (pattern === undefined) problems.push(`${c.path}: no usage pattern evaluates the left operand ${shortName(c.leftOperand)}`);
        else problems.push(...pattern.check(c));
      }
    }
    const duties = [...rule.preDuties, ...rule.postDuties];
    if (rule.kind === 'prohibition' && duties.length > 0) {
      problems.push(`${rule.path}: duties on a prohibition (remedies) are not supported`);
    }
    for (const duty of duties) problems.push(...this.dutyProblems(duty));
    return problems;
  }

  private dutyProblems(duty: PolicyDuty): string[] {
    if (duty.actions.length !== 1) return [`${duty.path}: a duty needs exactly one action, it has ${duty.actions.length}`];
    const pattern = this.patterns.forDuty(duty.actions[0]);
    if (pattern === undefined) return [`${duty.path}: no usage pattern carries out the duty ${shortName(duty.actions[0])}`];
    return pattern.check(duty);
  }

  /** May the consumer use `target` now? */
  decide(policy: Policy, target: string, context: UsageContext): Decision {
    const problems = this.problems(policy);
    if (problems.length > 0) return deny(problems.map((p) => `unenforceable policy: ${p}`));
    const window = this.validity(policy, context.now, context.skewMs ?? 0);
    if (window !== undefined) return deny([window]);
    const rules = policy.rules.filter((r) => r.target === undefined || r.target === target);
    if (rules.length === 0) return deny([`no rule of the agreement covers ${target} (deny by default)`]);
    const reasons: string[] = [];

    for (const rule of rules.filter((r) => r.kind === 'prohibition')) {
      const findings = this.constraintFindings(rule, context);
      if (findings.every((f) => f.holds)) {
        return deny([this.patterns.forRule('prohibition')!.evaluate(rule.id ?? rule.path).reason, ...findings.map((f) => f.reason)]);
      }
      reasons.push(
        `${rule.path} does not apply: ${findings
          .filter((f) => !f.holds)
          .map((f) => f.reason)
          .join('; ')}`,
      );
    }

    const obligations = rules
      .filter((r) => r.kind === 'obligation')
      .map((r) => this.planDuty({ path: r.path, actions: r.actions, constraints: r.constraints }, context));
    const failedObligations = obligations.filter((o) => !o.finding.holds);
    if (failedObligations.length > 0) return deny(failedObligations.map((o) => o.finding.reason));

    for (const rule of rules.filter((r) => r.kind === 'permission')) {
      const findings: Finding[] = this.constraintFindings(rule, context);
      const plans = [...rule.preDuties, ...rule.postDuties].map((d) => this.planDuty(d, context));
      if (findings.length === 0 && plans.length === 0) findings.push(this.patterns.forRule('permission')!.evaluate(rule.id ?? rule.path));
      const all = [...findings, ...plans.map((p) => p.finding)];
      if (all.every((f) => f.holds)) {
        const limits = findings.map((f) => f.limit).filter((l): l is number => l !== undefined);
        return {
          permit: true,
          rule: rule.id ?? rule.path,
          reasons: [...all, ...obligations.map((o) => o.finding)].map((f) => f.reason),
          duties: [...plans, ...obligations].flatMap((p) => (p.duty ? [p.duty] : [])),
          ...(limits.length > 0 ? { limit: Math.min(...limits) } : {}),
        };
      }
      reasons.push(
        `${rule.path} does not hold: ${all
          .filter((f) => !f.holds)
          .map((f) => f.reason)
          .join('; ')}`,
      );
    }
    return deny([`no permission allows this use of ${target} (deny by default)`, ...reasons]);
  }

  /** When data received at `received` must be deleted (the earliest DELETE duty), if the policy says. */
  deletionDeadline(policy: Policy, target: string, context: UsageContext): Date | undefined {
    const duties = policy.rules
      .filter((r) => r.target === undefined || r.target === target)
      .flatMap((r) =>
        r.kind === 'obligation' ? [{ path: r.path, actions: r.actions, constraints: r.constraints }] : [...r.preDuties, ...r.postDuties],
      );
    const times = duties
      .map((d) => this.planDuty(d, context).duty)
      .flatMap((plan) => (plan?.action === 'DELETE' ? [plan.at.getTime()] : []));
    return times.length === 0 ? undefined : new Date(Math.min(...times));
  }

  private constraintFindings(rule: PolicyRule, context: UsageContext): Finding[] {
    return rule.constraints.map((c) => this.patterns.forConstraint(c.leftOperand!)!.evaluate(c, context));
  }

  private planDuty(duty: PolicyDuty, context: UsageContext): { finding: Finding; duty?: DutyPlan } {
    const pattern = this.patterns.forDuty(duty.actions[0] ?? '');
    if (pattern === undefined) return { finding: { holds: false, reason: `${duty.path}: unknown duty` } };
    return pattern.plan(duty, context);
  }

  private validity(policy: Policy, now: Date, skewMs: number): string | undefined {
    const start = policy.start === undefined ? undefined : parseDateTimeStamp(policy.start);
    const end = policy.end === undefined ? undefined : parseDateTimeStamp(policy.end);
    if (start?.ok && now.getTime() < start.value.getTime() - skewMs) {
      return `the agreement starts at ${start.value.toISOString()} (ids:contractStart); it is ${now.toISOString()}`;
    }
    if (end?.ok && now > end.value) {
      return `the agreement ended at ${end.value.toISOString()} (ids:contractEnd); it is ${now.toISOString()}`;
    }
    return undefined;
  }
}
