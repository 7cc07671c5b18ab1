/**
 * Does an `ids:ContractRequest` match an `ids:ContractOffer`? It must be the offer or a narrowing of it
 * (Dataspace Connector RuleValidator.validateRulesOfRequest): every requested rule names an offered rule of the same kind by
 * its `@id`, with the same `ids:target`, a subset of its actions, all of its constraints and duties (more
 * constraints narrow, fewer would widen), and every offered prohibition and obligation is kept. Pure.
 */
import { asText, isObject, literal, nodes, prop, reference, values } from '../ids/infomodel/jsonld.reader.js';
import type { JsonLd, JsonLdValue } from '../ids/infomodel/jsonld.writer.js';
import { expandIri } from '../ids/infomodel/vocabulary.js';
import { RULE_KINDS } from '../ids/infomodel/contract.shape.js';

const iri = (value: JsonLdValue | undefined): string | undefined => {
  const r = reference(value);
  return r === undefined ? undefined : expandIri(r);
};

/** A constraint as a comparable string: operand, operator, right operand (value and type, or reference). */
export function constraintKey(c: JsonLdValue): string {
  if (!isObject(c)) return JSON.stringify(c);
  const right = prop(c, 'rightOperand');
  const rightType =
    isObject(right) && typeof right['@type'] === 'string'
      ? expandIri(right['@type'].replace(/^xsd:/, 'http://www.w3.org/2001/XMLSchema#'))
      : '';
  const nested = [...values(c, 'and'), ...values(c, 'or'), ...values(c, 'xone')].map(constraintKey).sort().join('&');
  return [
    iri(prop(c, 'leftOperand')),
    iri(prop(c, 'operator')),
    literal(right) ?? '',
    rightType,
    iri(prop(c, 'rightOperandReference')) ?? '',
    nested,
  ].join('|');
}

/** A duty as a comparable string, ignoring its @id (consumers may re-identify duties). */
function dutyKey(d: JsonLdValue): string {
  if (!isObject(d)) return JSON.stringify(d);
  const actions = values(d, 'action')
    .map((a) => iri(a) ?? '')
    .sort()
    .join(',');
  return `${actions}#${values(d, 'constraint').map(constraintKey).sort().join(';')}`;
}

function covers(required: string[], given: string[]): string[] {
  return required.filter((key) => !given.includes(key));
}

function compareRule(kind: string, offered: JsonLd, requested: JsonLd, path: string): string[] {
  const problems: string[] = [];
  const offeredTarget = iri(prop(offered, 'target'));
  const requestedTarget = iri(prop(requested, 'target'));
  if (offeredTarget !== requestedTarget) {
    problems.push(`${path}: ids:target ${requestedTarget ?? '(none)'} differs from the offered ${offeredTarget ?? '(none)'}`);
  }
  const offeredActions = values(offered, 'action').map((a) => iri(a));
  const extra = values(requested, 'action')
    .map((a) => iri(a))
    .filter((a) => !offeredActions.includes(a));
  if (extra.length > 0) problems.push(`${path}: action ${extra.join(', ')} is not offered (a request may narrow, never widen)`);
  const missing = covers(values(offered, 'constraint').map(constraintKey), values(requested, 'constraint').map(constraintKey));
  if (missing.length > 0) problems.push(`${path}: drops ${missing.length} offered constraint(s) of this ${kind}`);
  for (const duty of ['preDuty', 'postDuty']) {
    const dropped = covers(values(offered, duty).map(dutyKey), values(requested, duty).map(dutyKey));
    if (dropped.length > 0) problems.push(`${path}: drops ${dropped.length} offered ids:${duty}`);
  }
  return problems;
}

export interface MatchOptions {
  /**
   * `id` (negotiation, as DSC's RuleValidator): each narrower rule names its broader rule by `@id`.
   * `id-or-content` (a consumer checking the agreement it got): a rule the provider re-identified may also match a
   * requested rule by content.
   */
  matchBy?: 'id' | 'id-or-content';
}

/** `narrower` must be `broader` or a narrowing of it; every problem says where and why. */
export function matchRequest(offer: JsonLd, request: JsonLd, options: MatchOptions = {}): string[] {
  const problems: string[] = [];
  let requestedRules = 0;
  for (const kind of RULE_KINDS) {
    const offered = nodes(offer, kind.property);
    const requested = nodes(request, kind.property);
    requestedRules += requested.length;
    const matched = new Set<JsonLd>();
    requested.forEach((rule, i) => {
      const path = `ids:${kind.property}[${i}]`;
      const id = rule['@id'];
      let match = offered.find((o) => typeof id === 'string' && o['@id'] === id);
      if (match === undefined && options.matchBy === 'id-or-content') {
        match = offered.find((o) => compareRule(kind.property, o, rule, path).length === 0);
      }
      if (match === undefined) {
        problems.push(
          `${path}: ${typeof id === 'string' ? `${id} is not a ${kind.property} of the offer` : 'has no @id naming the offered rule'}`,
        );
      } else {
        matched.add(match);
        problems.push(...compareRule(kind.property, match, rule, path));
      }
    });
    if (kind.property !== 'permission') {
      for (const o of offered) if (!matched.has(o)) problems.push(`the offered ids:${kind.property} ${asText(o['@id'])} must be kept`);
    }
  }
  if (nodes(request, 'permission').length === 0 && requestedRules === 0) problems.push('the request names no rule of the offer');
  return problems;
}

/** Every rule target of a contract: the artifacts it covers. */
export function targetsOf(contract: JsonLd): string[] {
  const out = new Set<string>();
  for (const kind of RULE_KINDS) {
    for (const rule of nodes(contract, kind.property)) {
      const target = reference(prop(rule, 'target'));
      if (target !== undefined) out.add(target);
    }
  }
  return [...out];
}
