import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  UsagePatternEvaluator,
  type ConstraintPattern,
  type DutyPattern,
  type PatternName,
  type RulePattern,
  type UsagePattern,
} from './usage-pattern.contract.js';

/**
 * The patterns this connector enforces, found by `@UsagePatternEvaluator()` (or given, in pure tests), indexed by
 * what they claim. Two patterns claiming the same left operand, action or rule kind fail the boot.
 */
@Injectable()
export class PatternRegistry implements OnModuleInit {
  private readonly byName = new Map<PatternName, UsagePattern>();
  private readonly constraints = new Map<string, ConstraintPattern>();
  private readonly duties = new Map<string, DutyPattern>();
  private readonly rules = new Map<string, RulePattern>();

  constructor(@Optional() private readonly discovery?: DiscoveryService) {}

  static of(patterns: UsagePattern[]): PatternRegistry {
    const registry = new PatternRegistry();
    patterns.forEach((p) => registry.register(p));
    return registry;
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery?.getProviders({ metadataKey: UsagePatternEvaluator.KEY }) ?? []) {
      this.register(wrapper.instance as UsagePattern);
    }
  }

  register(pattern: UsagePattern): void {
    const [index, key] =
      pattern.element === 'constraint'
        ? [this.constraints, pattern.leftOperand]
        : pattern.element === 'duty'
          ? [this.duties, pattern.action]
          : [this.rules, pattern.ruleKind];
    const taken = index.get(key);
    if (taken !== undefined || this.byName.has(pattern.name)) {
      throw new Error(`usage patterns ${pattern.name} and ${taken?.name ?? pattern.name} both claim ${key}`);
    }
    (index as Map<string, UsagePattern>).set(key, pattern);
    this.byName.set(pattern.name, pattern);
  }

  all(): UsagePattern[] {
    return [...this.byName.values()];
  }
  named(name: string): UsagePattern | undefined {
    return this.byName.get(name as PatternName);
  }
  forConstraint(leftOperand: string): ConstraintPattern | undefined {
    return this.constraints.get(leftOperand);
  }
  forDuty(action: string): DutyPattern | undefined {
    return this.duties.get(action);
  }
  forRule(kind: 'permission' | 'prohibition'): RulePattern | undefined {
    return this.rules.get(kind);
  }
}
