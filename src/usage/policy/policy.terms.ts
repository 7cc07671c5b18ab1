/**
 * The policy vocabulary fep-connector enforces: IDS usage-control codes (infomodel v4.1.0 `codes/LeftOperand.ttl`,
 * `codes/BinaryOperator.ttl`, `codes/Action.ttl`), as full IRIs. Wire shapes per pattern: the Dataspace Connector's v6 usage-control.md.
 */
import { IDSC } from '../../ids/infomodel/vocabulary.js';

const code = (name: string): string => IDSC + name;

export const ACTION = { USE: code('USE'), LOG: code('LOG'), NOTIFY: code('NOTIFY'), DELETE: code('DELETE') } as const;

export const LEFT = {
  COUNT: code('COUNT'),
  ELAPSED_TIME: code('ELAPSED_TIME'),
  POLICY_EVALUATION_TIME: code('POLICY_EVALUATION_TIME'),
  SYSTEM: code('SYSTEM'),
  SECURITY_LEVEL: code('SECURITY_LEVEL'),
  PURPOSE: code('PURPOSE'),
  USER: code('USER'),
  ENDPOINT: code('ENDPOINT'),
  DELAY: code('DELAY'),
} as const;

export const OP = {
  LTEQ: code('LTEQ'),
  LT: code('LT'),
  EQ: code('EQ'),
  EQUALS: code('EQUALS'),
  SAME_AS: code('SAME_AS'),
  AFTER: code('AFTER'),
  BEFORE: code('BEFORE'),
  SHORTER_EQ: code('SHORTER_EQ'),
  SHORTER: code('SHORTER'),
  TEMPORAL_EQUALS: code('TEMPORAL_EQUALS'),
  DURATION_EQ: code('DURATION_EQ'),
  DEFINES_AS: code('DEFINES_AS'),
  HAS_MEMBERSHIP: code('HAS_MEMBERSHIP'),
  IN: code('IN'),
} as const;

/** Security profiles as an order (IDS-G certification levels): base < trust < trust+. */
export const SECURITY_PROFILE_ORDER = [code('BASE_SECURITY_PROFILE'), code('TRUST_SECURITY_PROFILE'), code('TRUST_PLUS_SECURITY_PROFILE')];

/** `idsc:X`, `X` or the full IRI of a security profile to its rank, or -1. */
export function securityProfileRank(value: string | undefined): number {
  if (value === undefined) return -1;
  const full = value.startsWith('idsc:') ? code(value.slice(5)) : value.startsWith('http') ? value : code(value);
  return SECURITY_PROFILE_ORDER.indexOf(full);
}

/** `idsc:COUNT` -> `COUNT` for reasons people read. */
export function shortName(iri: string): string {
  return iri.startsWith(IDSC) ? iri.slice(IDSC.length) : iri;
}
