/**
 * Gives an offer the identifiers negotiation relies on: the contract and each rule get an `@id`
 * (a ContractRequest must name each permission's `@id` as offered: DSC RuleValidator, TRUE's contract flow), and a missing
 * `@type` is filled in. Keys are kept as given otherwise. Pure: ids come from the injected factory.
 */
import { isObject } from './jsonld.reader.js';
import type { JsonLd, JsonLdValue } from './jsonld.writer.js';
import { RULE_KINDS } from './contract.shape.js';

export type IdFactory = (kind: string) => string;

export function normalizeContract(contract: JsonLd, type: string, newId: IdFactory): JsonLd {
  const out: JsonLd = { ...contract, '@type': contract['@type'] ?? type, '@id': contract['@id'] ?? newId(lowerFirst(type)) };
  for (const kind of RULE_KINDS) {
    for (const key of [`ids:${kind.property}`, kind.property]) {
      const list = out[key];
      if (list === undefined) continue;
      out[key] = (Array.isArray(list) ? list : [list]).map((rule) => withIds(rule, kind.type, newId));
    }
  }
  return out;
}

function withIds(rule: JsonLdValue, type: string, newId: IdFactory): JsonLdValue {
  if (!isObject(rule)) return rule;
  const out: JsonLd = { ...rule, '@type': rule['@type'] ?? type, '@id': rule['@id'] ?? newId(lowerFirst(type)) };
  for (const duty of ['ids:preDuty', 'ids:postDuty']) {
    const list = out[duty];
    if (Array.isArray(list)) out[duty] = list.map((d) => withIds(d, 'ids:Duty', newId));
  }
  return out;
}

function lowerFirst(type: string): string {
  const local = type.replace(/^ids:/, '');
  return local.charAt(0).toLowerCase() + local.slice(1);
}
