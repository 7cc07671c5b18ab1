import { Injectable } from '@nestjs/common';
import { UsagePatternEvaluator, type Finding, type RulePattern } from './usage-pattern.contract.js';

/** PROHIBIT_ACCESS: an `ids:Prohibition` of USE; with constraints, it forbids use whenever they all hold. */
@Injectable()
@UsagePatternEvaluator()
export class ProhibitAccessPattern implements RulePattern {
  readonly element = 'rule';
  readonly name = 'PROHIBIT_ACCESS';
  readonly summary = 'no use';
  readonly enforcement = 'provider and consumer';
  readonly ruleKind = 'prohibition';
  readonly template = 'prohibit-access.json';
  readonly parameters = [] as const;

  evaluate(ruleId: string): Finding {
    return { holds: false, reason: `PROHIBIT_ACCESS ${ruleId}: use is prohibited` };
  }
}
