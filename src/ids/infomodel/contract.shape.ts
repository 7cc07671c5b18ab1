/**
 * Structural check of an `ids:Contract` (offer, request, agreement) in infomodel JSON-LD, following the v4.1.0
 * shapes (contract/ContractShape.ttl, RuleShape.ttl, ConstraintShape.ttl):
 * every rule has at least one `ids:action`; a constraint has `ids:leftOperand`, `ids:operator` and a right
 * operand. Whether a policy can be *enforced* is the policy engine's question, not this one. Pure.
 */
import { isObject, nodes, prop, reference, typeOf, values } from './jsonld.reader.js';
import type { JsonLd, JsonLdValue } from './jsonld.writer.js';

export const RULE_KINDS = [
  { property: 'permission', type: 'ids:Permission' },
  { property: 'prohibition', type: 'ids:Prohibition' },
  { property: 'obligation', type: 'ids:Duty' },
] as const;

const CONTRACT_TYPES = ['ids:ContractOffer', 'ids:ContractRequest', 'ids:ContractAgreement', 'ids:Contract'];

export function checkContractShape(value: unknown, path = '$'): string[] {
  if (!isObject(value)) return [`${path}: must be a JSON-LD object`];
  const problems: string[] = [];
  const type = typeOf(value);
  if (type !== undefined && !CONTRACT_TYPES.includes(type)) problems.push(`${path}.@type: ${type} is not a contract type`);
  let rules = 0;
  for (const kind of RULE_KINDS) {
    const list = values(value, kind.property);
    list.forEach((rule, i) => {
      rules++;
      problems.push(...checkRule(rule, kind.type, `${path}["ids:${kind.property}"][${i}]`));
    });
  }
  if (rules === 0) problems.push(`${path}: a contract needs at least one ids:permission, ids:prohibition or ids:obligation`);
  return problems;
}

function checkRule(rule: JsonLdValue, expectedType: string, path: string): string[] {
  if (!isObject(rule)) return [`${path}: must be an object`];
  const problems: string[] = [];
  const type = typeOf(rule);
  if (type !== undefined && type !== expectedType) problems.push(`${path}.@type: expected ${expectedType}, got ${type}`);
  const actions = values(rule, 'action');
  if (actions.length === 0) problems.push(`${path}["ids:action"]: at least one action is required`);
  actions.forEach((action, i) => {
    if (reference(action) === undefined) {
      problems.push(`${path}["ids:action"][${i}]: must be an action reference like {"@id": "https://w3id.org/idsa/code/USE"}`);
    }
  });
  const target = prop(rule, 'target');
  if (target !== undefined && reference(target) === undefined) problems.push(`${path}["ids:target"]: must be a reference {"@id": ...}`);
  values(rule, 'constraint').forEach((c, i) => problems.push(...checkConstraint(c, `${path}["ids:constraint"][${i}]`)));
  for (const duty of ['preDuty', 'postDuty'] as const) {
    values(rule, duty).forEach((d, i) => problems.push(...checkRule(d, 'ids:Duty', `${path}["ids:${duty}"][${i}]`)));
  }
  return problems;
}

function checkConstraint(constraint: JsonLdValue, path: string): string[] {
  if (!isObject(constraint)) return [`${path}: must be an object`];
  const type = typeOf(constraint);
  // A LogicalConstraint (ids:and / ids:or / ids:xone) nests constraints.
  if (type === 'ids:LogicalConstraint') {
    const parts = [...values(constraint, 'and'), ...values(constraint, 'or'), ...values(constraint, 'xone')];
    if (parts.length === 0) return [`${path}: a logical constraint needs ids:and, ids:or or ids:xone`];
    return parts.flatMap((p, i) => checkConstraint(p, `${path}[${i}]`));
  }
  const problems: string[] = [];
  if (reference(prop(constraint, 'leftOperand')) === undefined) {
    problems.push(`${path}["ids:leftOperand"]: required, a reference like {"@id": "https://w3id.org/idsa/code/COUNT"}`);
  }
  if (reference(prop(constraint, 'operator')) === undefined) {
    problems.push(`${path}["ids:operator"]: required, a reference like {"@id": "https://w3id.org/idsa/code/LTEQ"}`);
  }
  if (prop(constraint, 'rightOperand') === undefined && prop(constraint, 'rightOperandReference') === undefined) {
    problems.push(`${path}: needs ids:rightOperand or ids:rightOperandReference`);
  }
  return problems;
}

/** Every rule of a contract (permissions, prohibitions, obligations), with its kind. */
export function rulesOf(contract: JsonLd): { kind: (typeof RULE_KINDS)[number]; rule: JsonLd }[] {
  return RULE_KINDS.flatMap((kind) => nodes(contract, kind.property).map((rule) => ({ kind, rule })));
}
