/**
 * Builds an `ids:ContractOffer` from pattern templates (`policies/*.json`) and parameters. Several patterns
 * combine into one permission: their constraints and duties are concatenated (a conjunction). Parameters are
 * checked by type before they are put in, and the caller checks the result is enforceable. Pure.
 */
import { isObject } from '../../ids/infomodel/jsonld.reader.js';
import type { JsonLd, JsonLdValue } from '../../ids/infomodel/jsonld.writer.js';
import type { PatternParameter, UsagePattern } from '../patterns/usage-pattern.contract.js';
import { SECURITY_PROFILE_ORDER, securityProfileRank } from './policy.terms.js';
import { parseCount, parseDateTimeStamp, parseDuration } from './xsd.values.js';

export interface OfferPart {
  pattern: UsagePattern;
  template: JsonLd;
  parameters: Record<string, unknown>;
}

function canonical(parameter: PatternParameter, raw: unknown): { value?: string; problem?: string } {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return { problem: `parameter ${parameter.name} (${parameter.description}) is required, e.g. "${parameter.example}"` };
  }
  const text = String(raw).trim();
  const bad = (reason: string): { problem: string } => ({ problem: `parameter ${parameter.name}: ${reason}` });
  switch (parameter.type) {
    case 'count': {
      const parsed = parseCount(text);
      return parsed.ok ? { value: String(parsed.value) } : bad(parsed.reason);
    }
    case 'dateTimeStamp': {
      const parsed = parseDateTimeStamp(text);
      return parsed.ok ? { value: text } : bad(parsed.reason);
    }
    case 'duration': {
      const parsed = parseDuration(text);
      return parsed.ok && !parsed.value.negative ? { value: text } : bad(parsed.ok ? 'must not be negative' : parsed.reason);
    }
    case 'iri':
      return /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i.test(text) ? { value: text } : bad(`"${text}" is not an absolute IRI`);
    case 'securityProfile': {
      const rank = securityProfileRank(text);
      return rank >= 0
        ? { value: SECURITY_PROFILE_ORDER[rank] }
        : bad(`"${text}" is not BASE_SECURITY_PROFILE, TRUST_SECURITY_PROFILE or TRUST_PLUS_SECURITY_PROFILE`);
    }
  }
}

function fill(value: JsonLdValue, values: Record<string, string>): JsonLdValue {
  if (typeof value === 'string') {
    const m = /^\{\{(\w+)\}\}$/.exec(value);
    return m === null ? value : (values[m[1]] ?? value);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  return value;
}

const list = (value: JsonLdValue | undefined): JsonLdValue[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export function buildOffer(target: string, parts: OfferPart[]): { offer?: JsonLd; problems: string[] } {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(target)) problems.push(`target: "${target}" is not an artifact IRI`);
  if (parts.length === 0) problems.push('name at least one pattern');
  const filled = parts.map((part) => {
    const values: Record<string, string> = { target };
    for (const parameter of part.pattern.parameters) {
      const { value, problem } = canonical(parameter, part.parameters[parameter.name]);
      if (problem !== undefined) problems.push(`${part.pattern.name}: ${problem}`);
      else values[parameter.name] = value!;
    }
    const unknown = Object.keys(part.parameters).filter((k) => !part.pattern.parameters.some((p) => p.name === k));
    if (unknown.length > 0) problems.push(`${part.pattern.name}: unknown parameter(s) ${unknown.join(', ')}`);
    return fill(part.template, values) as JsonLd;
  });
  if (problems.length > 0) return { problems };
  if (filled.length === 1) return { offer: filled[0], problems };
  if (parts.some((p) => p.pattern.name === 'PROHIBIT_ACCESS')) {
    return { problems: ['PROHIBIT_ACCESS cannot be combined with other patterns'] };
  }
  // Combination: one permission carrying every part's constraints and duties.
  const permissions = filled.map((offer) => list(offer['ids:permission'])[0] as JsonLd);
  const first = permissions[0];
  const merged: JsonLd = {
    ...first,
    'ids:description': [{ '@value': parts.map((p) => p.pattern.name.toLowerCase().replace(/_/g, '-')).join(' + '), '@type': 'xsd:string' }],
    'ids:constraint': permissions.flatMap((p) => list(p['ids:constraint'])),
    'ids:postDuty': permissions.flatMap((p) => list(p['ids:postDuty'])),
  };
  for (const key of ['ids:constraint', 'ids:postDuty']) if (list(merged[key]).length === 0) delete merged[key];
  return { offer: { ...filled[0], 'ids:permission': [merged] }, problems };
}
