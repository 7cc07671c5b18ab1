import { Injectable } from '@nestjs/common';
import type { PolicyConstraint } from '../policy/policy.model.js';
import { LEFT, OP } from '../policy/policy.terms.js';
import { iriConstraintProblems, iriOf, where } from './constraint.helpers.js';
import { UsagePatternEvaluator, type ConstraintPattern, type Finding, type UsageContext } from './usage-pattern.contract.js';

/** CONNECTOR_RESTRICTED_USAGE: `ids:SYSTEM` SAME_AS a connector id (DSC, TRUE); the consumer connector must be it. */
@Injectable()
@UsagePatternEvaluator()
export class ConnectorRestrictedUsagePattern implements ConstraintPattern {
  readonly element = 'constraint';
  readonly name = 'CONNECTOR_RESTRICTED_USAGE';
  readonly summary = 'use only by one connector';
  readonly enforcement = "provider (the requester's DAT-checked ids:issuerConnector) and consumer (its own connector id)";
  readonly leftOperand = LEFT.SYSTEM;
  readonly template = 'connector-restricted-usage.json';
  readonly parameters = [
    { name: 'connector', type: 'iri', description: 'the connector id allowed to use the data', example: 'https://consumer.example.org/' },
  ] as const;
  private readonly operators = [OP.SAME_AS, OP.EQUALS, OP.EQ];

  check(c: PolicyConstraint): string[] {
    return iriConstraintProblems(c, this.operators);
  }

  evaluate(c: PolicyConstraint, context: UsageContext): Finding {
    const { value } = iriOf(c);
    if (value === undefined || this.check(c).length > 0) return { holds: false, reason: `${where(c)}: malformed` };
    const holds = value === context.consumerConnector;
    return { holds, reason: `CONNECTOR_RESTRICTED_USAGE ${where(c)}: the consumer connector is ${context.consumerConnector}` };
  }
}
