/**
 * Rules of an offer that name no `ids:target` (ids:Rule `ids:target` [0..1], RuleShape v4.1.0). An offer sits on
 * a resource, so a rule without a target means the resource's artifacts (the Dataspace Connector reads it so);
 * but agreements are enforced per artifact, and a rule without a target would negotiate and then cover
 * nothing. The targets are therefore filled in when the offer is stored: one rule per artifact. Pure.
 */
import { ConnectorError } from '../common/connector.error.js';
import { isObject, prop } from '../ids/infomodel/jsonld.reader.js';
import type { JsonLd, JsonLdValue } from '../ids/infomodel/jsonld.writer.js';
import { RULE_KINDS } from '../ids/infomodel/contract.shape.js';

export interface TargetOptions {
  /** The artifacts of the resource the offer is for. */
  artifacts: readonly string[];
  /** Where the offer came from, for the error (`offer`). */
  field: string;
  /** A rule without target on a resource with no artifact: refuse (admin API), or keep it as it is (TRUE's API). */
  whenNoArtifact: 'refuse' | 'keep';
}

export function fillTargets(offer: JsonLd, options: TargetOptions): JsonLd {
  const out: JsonLd = { ...offer };
  for (const kind of RULE_KINDS) {
    for (const key of [`ids:${kind.property}`, kind.property]) {
      const list = out[key];
      if (list === undefined) continue;
      const rules = Array.isArray(list) ? list : [list];
      out[key] = rules.flatMap((rule, i) => expand(rule, `${options.field}["${key}"][${i}]`, options));
    }
  }
  return out;
}

function expand(rule: JsonLdValue, path: string, options: TargetOptions): JsonLdValue[] {
  if (!isObject(rule) || prop(rule, 'target') !== undefined) return [rule];
  if (options.artifacts.length === 0) {
    if (options.whenNoArtifact === 'keep') return [rule];
    throw ConnectorError.badInput(
      `${path}["ids:target"]`,
      'the rule names no ids:target and the resource has no artifact yet: add the artifact first (the rule then covers it), or name the artifact in ids:target',
    );
  }
  const id = rule['@id'];
  return options.artifacts.map((artifact, n) => ({
    ...rule,
    ...(typeof id === 'string' && options.artifacts.length > 1 ? { '@id': `${id}-${n + 1}` } : {}),
    'ids:target': { '@id': artifact },
  }));
}
