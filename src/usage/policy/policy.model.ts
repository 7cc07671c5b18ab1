/**
 * A contract's usage policy as the engine sees it, read from infomodel JSON-LD (ODRL profile, v4.1.0
 * `model/contract/*.ttl`): rules with targets, actions, constraints and duties. Reading accepts the
 * Dataspace Connector's and TRUE Connector's spellings (duty action as a reference, or as an `ids:Action` with
 * `ids:includedIn` and `ids:actionRefinement` as in the infomodel templates). Pure.
 */
import { isObject, literal, nodes, prop, reference, values } from '../../ids/infomodel/jsonld.reader.js';
import type { JsonLd, JsonLdValue } from '../../ids/infomodel/jsonld.writer.js';
import { expandIri, XSD } from '../../ids/infomodel/vocabulary.js';

export type RuleKind = 'permission' | 'prohibition' | 'obligation';

export interface PolicyConstraint {
  /** Where it sits, for reasons: `permission[0].constraint[1]`. */
  path: string;
  leftOperand?: string;
  operator?: string;
  /** A literal right operand with its datatype (full XSD IRI, or undefined when untyped). */
  right?: { value: string; datatype?: string };
  /** An IRI right operand (`ids:rightOperandReference`, or a literal typed xsd:anyURI). */
  rightReference?: string;
  /** `ids:LogicalConstraint`: not supported, kept so the engine can name it. */
  logical: boolean;
}

export interface PolicyDuty {
  path: string;
  actions: string[];
  constraints: PolicyConstraint[];
}

export interface PolicyRule {
  kind: RuleKind;
  path: string;
  id?: string;
  target?: string;
  actions: string[];
  constraints: PolicyConstraint[];
  preDuties: PolicyDuty[];
  postDuties: PolicyDuty[];
}

export interface Policy {
  id?: string;
  /** `ids:contractStart`, else `ids:contractDate`: durations count from here. */
  start?: string;
  end?: string;
  rules: PolicyRule[];
}

const xsd = (type: string): string => (type.startsWith('xsd:') ? XSD + type.slice(4) : expandIri(type));
const iri = (value: JsonLdValue | undefined): string | undefined => {
  const r = reference(value);
  return r === undefined ? undefined : expandIri(r);
};

function readConstraint(node: JsonLdValue, path: string): PolicyConstraint {
  if (!isObject(node)) return { path, logical: false };
  const type = node['@type'];
  const logical = type === 'ids:LogicalConstraint' || type === 'https://w3id.org/idsa/core/LogicalConstraint';
  const right = prop(node, 'rightOperand');
  const datatype = isObject(right) && typeof right['@type'] === 'string' ? xsd(right['@type']) : undefined;
  const value = literal(right);
  const rightRef =
    iri(prop(node, 'rightOperandReference')) ??
    (datatype === `${XSD}anyURI` ? value : undefined) ??
    (isObject(right) && typeof right['@id'] === 'string' ? right['@id'] : undefined);
  return {
    path,
    logical,
    ...(iri(prop(node, 'leftOperand')) === undefined ? {} : { leftOperand: iri(prop(node, 'leftOperand'))! }),
    ...(iri(prop(node, 'operator')) === undefined ? {} : { operator: iri(prop(node, 'operator'))! }),
    ...(value === undefined ? {} : { right: { value, ...(datatype === undefined ? {} : { datatype }) } }),
    ...(rightRef === undefined ? {} : { rightReference: rightRef }),
  };
}

function readDuty(node: JsonLd, path: string): PolicyDuty {
  const actions: string[] = [];
  const constraints = values(node, 'constraint').map((c, i) => readConstraint(c, `${path}.constraint[${i}]`));
  values(node, 'action').forEach((action, i) => {
    // An ids:Action object: the infomodel templates name the action in ids:includedIn and refine it.
    const direct = iri(action);
    if (direct !== undefined && !(isObject(action) && prop(action, 'includedIn') !== undefined)) actions.push(direct);
    if (isObject(action)) {
      const included = iri(prop(action, 'includedIn'));
      if (included !== undefined) actions.push(included);
      values(action, 'actionRefinement').forEach((c, j) =>
        constraints.push(readConstraint(c, `${path}.action[${i}].actionRefinement[${j}]`)),
      );
    }
  });
  return { path, actions, constraints };
}

function readRule(kind: RuleKind, node: JsonLd, path: string): PolicyRule {
  const duty = kind === 'obligation' ? readDuty(node, path) : undefined;
  const target = iri(prop(node, 'target'));
  return {
    kind,
    path,
    ...(typeof node['@id'] === 'string' ? { id: node['@id'] } : {}),
    ...(target === undefined ? {} : { target }),
    actions:
      duty?.actions ??
      values(node, 'action')
        .map(iri)
        .filter((a): a is string => a !== undefined),
    constraints: duty?.constraints ?? values(node, 'constraint').map((c, i) => readConstraint(c, `${path}.constraint[${i}]`)),
    preDuties: nodes(node, 'preDuty').map((d, i) => readDuty(d, `${path}.preDuty[${i}]`)),
    postDuties: nodes(node, 'postDuty').map((d, i) => readDuty(d, `${path}.postDuty[${i}]`)),
  };
}

export function readPolicy(contract: JsonLd): Policy {
  const rules: PolicyRule[] = [];
  for (const kind of ['permission', 'prohibition', 'obligation'] as const) {
    nodes(contract, kind).forEach((rule, i) => rules.push(readRule(kind, rule, `${kind}[${i}]`)));
  }
  const start = literal(prop(contract, 'contractStart')) ?? literal(prop(contract, 'contractDate'));
  const end = literal(prop(contract, 'contractEnd'));
  return {
    ...(typeof contract['@id'] === 'string' ? { id: contract['@id'] } : {}),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    rules,
  };
}
