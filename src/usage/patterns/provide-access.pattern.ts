import { Injectable } from '@nestjs/common';
import { UsagePatternEvaluator, type Finding, type RulePattern } from './usage-pattern.contract.js';

/** PROVIDE_ACCESS: an `ids:Permission` to USE with no constraint and no duty. */
@Injectable()
@UsagePatternEvaluator()
export class ProvideAccessPattern implements RulePattern {
  readonly element = 'rule';
  readonly name = 'PROVIDE_ACCESS';
  readonly summary = 'use without restriction';
  readonly enforcement = 'provider and consumer';
  readonly ruleKind = 'permission';
  readonly template = 'provide-access.json';
  readonly parameters = [] as const;

  evaluate(ruleId: string): Finding {
    return { holds: true, reason: `PROVIDE_ACCESS ${ruleId}: permitted without restriction` };
  }
}
