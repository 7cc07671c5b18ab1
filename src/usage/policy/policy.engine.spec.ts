import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';
import { PATTERN_CLASSES } from '../patterns/all.patterns.js';
import { PatternRegistry } from '../patterns/pattern.registry.js';
import { UsageNotificationPattern } from '../patterns/usage-notification.pattern.js';
import type { UsageContext } from '../patterns/usage-pattern.contract.js';
import { PolicyEngine } from './policy.engine.js';
import { readPolicy } from './policy.model.js';

const engine = new PolicyEngine(
  PatternRegistry.of(
    PATTERN_CLASSES.map((P) => (P === UsageNotificationPattern ? new UsageNotificationPattern(['https://notify.example/']) : new P())),
  ),
);
const T = 'https://provider.example/artifact/1';
const START = new Date('2026-01-01T00:00:00Z');
const at = (iso: string): Date => new Date(iso);
const ctx = (over: Partial<UsageContext> = {}): UsageContext => ({
  side: 'provider',
  now: at('2026-06-01T00:00:00Z'),
  agreementStart: START,
  consumerConnector: 'https://consumer.example/',
  securityProfile: 'idsc:BASE_SECURITY_PROFILE',
  purposes: [],
  roles: [],
  uses: 0,
  ...over,
});
const constraint = (left: string, op: string, right: JsonLd): JsonLd => ({
  '@type': 'ids:Constraint',
  'ids:leftOperand': { '@id': `idsc:${left}` },
  'ids:operator': { '@id': `idsc:${op}` },
  ...right,
});
const lit = (value: string, type: string): JsonLd => ({ 'ids:rightOperand': { '@value': value, '@type': `xsd:${type}` } });
const refd = (iri: string): JsonLd => ({ 'ids:rightOperandReference': { '@id': iri } });
const permission = (extra: JsonLd = {}): JsonLd => ({
  '@type': 'ids:Permission',
  '@id': 'urn:rule:1',
  'ids:action': [{ '@id': 'idsc:USE' }],
  'ids:target': { '@id': T },
  ...extra,
});
const agreement = (...permissions: JsonLd[]): JsonLd => ({
  '@type': 'ids:ContractAgreement',
  '@id': 'urn:agreement:1',
  'ids:permission': permissions,
});
const decide = (doc: JsonLd, c: UsageContext = ctx()) => engine.decide(readPolicy(doc), T, c);

function permits(doc: JsonLd, c?: UsageContext): void {
  const d = decide(doc, c);
  assert.equal(d.permit, true, d.reasons.join('\n'));
  assert.ok(d.reasons.length > 0, 'a permit says why');
}
function denies(doc: JsonLd, c: UsageContext | undefined, reason: RegExp): void {
  const d = decide(doc, c);
  assert.equal(d.permit, false, 'expected a denial');
  assert.match(d.reasons.join('\n'), reason);
}

describe('policy engine: one evaluator per pattern, deny by default, reasons always', () => {
  it('PROVIDE_ACCESS permits; nothing for the target denies by default', () => {
    permits(agreement(permission()));
    denies(
      agreement(permission({ 'ids:target': { '@id': 'urn:other' } })),
      undefined,
      /no rule of the agreement covers .* \(deny by default\)/,
    );
    denies({ '@type': 'ids:ContractAgreement' }, undefined, /no rule/);
  });

  it('PROHIBIT_ACCESS denies, even beside a permission', () => {
    const prohibition = { '@type': 'ids:Prohibition', 'ids:action': [{ '@id': 'idsc:USE' }], 'ids:target': { '@id': T } };
    denies({ 'ids:prohibition': [prohibition] }, undefined, /PROHIBIT_ACCESS/);
    denies({ 'ids:permission': [permission()], 'ids:prohibition': [prohibition] }, undefined, /PROHIBIT_ACCESS/);
  });

  it('N_TIMES_USAGE: the n-th use is permitted with the limit, the n+1-th denied; LT counts one fewer', () => {
    const doc = agreement(permission({ 'ids:constraint': [constraint('COUNT', 'LTEQ', lit('5', 'double'))] }));
    const fifth = decide(doc, ctx({ uses: 4 }));
    assert.equal(fifth.permit, true);
    assert.equal(fifth.limit, 5);
    denies(doc, ctx({ uses: 5 }), /5 of 5 uses made, none left/);
    const lt = agreement(permission({ 'ids:constraint': [constraint('COUNT', 'LT', lit('5', 'integer'))] }));
    permits(lt, ctx({ uses: 3 }));
    denies(lt, ctx({ uses: 4 }), /none left/);
  });

  it('USAGE_DURING_INTERVAL: exclusive edges, one second inside and outside', () => {
    const doc = agreement(
      permission({
        'ids:constraint': [
          constraint('POLICY_EVALUATION_TIME', 'AFTER', lit('2026-03-01T00:00:00Z', 'dateTimeStamp')),
          constraint('POLICY_EVALUATION_TIME', 'BEFORE', lit('2026-04-01T00:00:00Z', 'dateTimeStamp')),
        ],
      }),
    );
    denies(doc, ctx({ now: at('2026-02-28T23:59:59Z') }), /outside the interval/);
    denies(doc, ctx({ now: at('2026-03-01T00:00:00Z') }), /outside the interval/);
    permits(doc, ctx({ now: at('2026-03-01T00:00:01Z') }));
    permits(doc, ctx({ now: at('2026-03-31T23:59:59Z') }));
    denies(doc, ctx({ now: at('2026-04-01T00:00:00Z') }), /outside the interval/);
  });

  it('DURATION_USAGE counts from the agreement start: the last second in, the next out', () => {
    const doc = agreement(permission({ 'ids:constraint': [constraint('ELAPSED_TIME', 'SHORTER_EQ', lit('P1DT1H30.5S', 'duration'))] }));
    permits(doc, ctx({ now: at('2026-01-02T01:00:30.500Z') }));
    denies(doc, ctx({ now: at('2026-01-02T01:00:31.500Z') }), /expired/);
    const months = agreement(permission({ 'ids:constraint': [constraint('ELAPSED_TIME', 'SHORTER_EQ', lit('P1M', 'duration'))] }));
    permits(months, ctx({ now: at('2026-01-31T23:59:59Z') }));
    denies(months, ctx({ now: at('2026-02-01T00:00:01Z') }), /expired/);
  });

  it('USAGE_UNTIL_DELETION: the deadline from a date or a delay; past it, use is denied', () => {
    const duty = (constraints: JsonLd[]): JsonLd =>
      agreement(
        permission({ 'ids:postDuty': [{ '@type': 'ids:Duty', 'ids:action': [{ '@id': 'idsc:DELETE' }], 'ids:constraint': constraints }] }),
      );
    const dated = duty([constraint('POLICY_EVALUATION_TIME', 'TEMPORAL_EQUALS', lit('2026-07-01T00:00:00Z', 'dateTimeStamp'))]);
    const d = decide(dated, ctx({ now: at('2026-06-30T23:59:59Z') }));
    assert.equal(d.permit, true);
    assert.deepEqual(d.duties, [{ action: 'DELETE', at: at('2026-07-01T00:00:00Z') }]);
    denies(dated, ctx({ now: at('2026-07-01T00:00:00Z') }), /to be deleted at 2026-07-01T00:00:00.000Z, which has passed/);
    const delayed = duty([constraint('DELAY', 'DURATION_EQ', lit('PT1H', 'duration'))]);
    const received = at('2026-06-01T00:00:00Z');
    assert.deepEqual(engine.deletionDeadline(readPolicy(delayed), T, ctx({ side: 'consumer', received })), at('2026-06-01T01:00:00Z'));
    denies(delayed, ctx({ side: 'consumer', received, now: at('2026-06-01T01:00:00Z') }), /has passed/);
    // The infomodel template's spelling: the DELETE action refined.
    const template = agreement(
      permission({
        'ids:postDuty': [
          {
            '@type': 'ids:Duty',
            'ids:action': {
              '@type': 'ids:Action',
              'ids:includedIn': { '@id': 'idsc:DELETE' },
              'ids:actionRefinement': constraint('POLICY_EVALUATION_TIME', 'TEMPORAL_EQUALS', lit('2026-07-01T00:00:00Z', 'dateTimeStamp')),
            },
          },
        ],
      }),
    );
    assert.deepEqual(decide(template).duties, [{ action: 'DELETE', at: at('2026-07-01T00:00:00Z') }]);
  });

  it('USAGE_LOGGING and USAGE_NOTIFICATION become duties of the permitted use', () => {
    const log = decide(agreement(permission({ 'ids:postDuty': [{ 'ids:action': [{ '@id': 'idsc:LOG' }] }] })));
    assert.deepEqual(log.duties, [{ action: 'LOG' }]);
    const notify = decide(
      agreement(
        permission({
          'ids:postDuty': [
            {
              'ids:action': [{ '@id': 'idsc:NOTIFY' }],
              'ids:constraint': [constraint('ENDPOINT', 'DEFINES_AS', lit('https://notify.example/x', 'anyURI'))],
            },
          ],
        }),
      ),
    );
    assert.deepEqual(notify.duties, [{ action: 'NOTIFY', endpoint: 'https://notify.example/x' }]);
    denies(agreement(permission({ 'ids:postDuty': [{ 'ids:action': [{ '@id': 'idsc:NOTIFY' }] }] })), undefined, /exactly one ENDPOINT/);
  });

  it('USAGE_NOTIFICATION posts only to endpoints on the allow-list (the other side writes the URL)', () => {
    // Hardening finding 10: any URL was accepted, so a provider could make the consumer post into its own network.
    const to = (url: string): JsonLd =>
      agreement(
        permission({
          'ids:postDuty': [
            { 'ids:action': [{ '@id': 'idsc:NOTIFY' }], 'ids:constraint': [constraint('ENDPOINT', 'DEFINES_AS', lit(url, 'anyURI'))] },
          ],
        }),
      );
    denies(
      to('http://169.254.169.254/latest/meta-data'),
      undefined,
      /endpoint http:\/\/169\.254\.169\.254\/latest\/meta-data is not allowed \(FEP_USAGE_NOTIFY_ALLOWED: https:\/\/notify\.example\/\)/,
    );
    const closed = new PolicyEngine(PatternRegistry.of([new UsageNotificationPattern()]));
    assert.match(
      closed.problems(readPolicy(to('https://notify.example/x'))).join(),
      /none configured/,
      'nothing is allowed unless configured',
    );
  });

  it('CONNECTOR_RESTRICTED_USAGE compares the consumer connector', () => {
    const doc = agreement(permission({ 'ids:constraint': [constraint('SYSTEM', 'SAME_AS', lit('https://consumer.example/', 'anyURI'))] }));
    permits(doc);
    denies(doc, ctx({ consumerConnector: 'https://other.example/' }), /the consumer connector is https:\/\/other\.example\//);
  });

  it('SECURITY_PROFILE_RESTRICTED_USAGE is an order: base < trust < trust+', () => {
    const doc = agreement(
      permission({
        'ids:constraint': [constraint('SECURITY_LEVEL', 'EQUALS', lit('https://w3id.org/idsa/code/TRUST_SECURITY_PROFILE', 'string'))],
      }),
    );
    denies(doc, ctx(), /has idsc:BASE_SECURITY_PROFILE/);
    permits(doc, ctx({ securityProfile: 'idsc:TRUST_SECURITY_PROFILE' }));
    permits(doc, ctx({ securityProfile: 'https://w3id.org/idsa/code/TRUST_PLUS_SECURITY_PROFILE' }));
    const { securityProfile: _none, ...unknown } = ctx();
    denies(doc, unknown, /states no security profile/);
  });

  it('PURPOSE and ROLE: checked against what the consumer declares; the provider delegates, saying so', () => {
    const purpose = agreement(
      permission({ 'ids:constraint': [constraint('PURPOSE', 'SAME_AS', refd('http://example.com/ids-purpose:Marketing'))] }),
    );
    permits(purpose, ctx({ side: 'consumer', purposes: ['http://example.com/ids-purpose:Marketing'] }));
    denies(purpose, ctx({ side: 'consumer', purposes: ['http://example.com/ids-purpose:Developer'] }), /declared purposes/);
    assert.match(decide(purpose).reasons.join(), /enforced by the consumer/);
    const role = agreement(
      permission({ 'ids:constraint': [constraint('USER', 'HAS_MEMBERSHIP', refd('http://example.com/ids-role:riskManager'))] }),
    );
    permits(role, ctx({ side: 'consumer', roles: ['http://example.com/ids-role:riskManager'] }));
    denies(role, ctx({ side: 'consumer', roles: [] }), /declared roles are \[\]/);
  });

  it('a combination is a conjunction: every constraint is evaluated and every failure named', () => {
    const doc = agreement(
      permission({
        'ids:constraint': [
          constraint('COUNT', 'LTEQ', lit('2', 'double')),
          constraint('SYSTEM', 'SAME_AS', lit('https://consumer.example/', 'anyURI')),
          constraint('POLICY_EVALUATION_TIME', 'BEFORE', lit('2026-05-01T00:00:00Z', 'dateTimeStamp')),
        ],
      }),
    );
    permits(doc, ctx({ now: at('2026-04-01T00:00:00Z') }));
    const d = decide(doc, ctx({ uses: 2, consumerConnector: 'https://other.example/' }));
    assert.equal(d.permit, false);
    const text = d.reasons.join('\n');
    for (const expected of [/none left/, /other\.example/, /outside the interval/]) assert.match(text, expected);
  });

  it('anything not understood is a denial with a reason, never an allow', () => {
    const cases: [JsonLd, RegExp][] = [
      [
        agreement(permission({ 'ids:constraint': [constraint('ABSOLUTE_SPATIAL_POSITION', 'EQ', lit('x', 'string'))] })),
        /no usage pattern evaluates the left operand ABSOLUTE_SPATIAL_POSITION/,
      ],
      [
        agreement(permission({ 'ids:constraint': [constraint('COUNT', 'GT', lit('5', 'double'))] })),
        /operator GT is not supported with COUNT/,
      ],
      [agreement(permission({ 'ids:constraint': [constraint('COUNT', 'LTEQ', lit('five', 'double'))] })), /"five" is not a whole number/],
      [agreement(permission({ 'ids:constraint': [constraint('COUNT', 'LTEQ', {})] })), /needs a literal ids:rightOperand/],
      [
        agreement(permission({ 'ids:constraint': [constraint('POLICY_EVALUATION_TIME', 'AFTER', lit('2026-03-01', 'dateTimeStamp'))] })),
        /not an xsd:dateTimeStamp/,
      ],
      [
        agreement(permission({ 'ids:constraint': [constraint('ELAPSED_TIME', 'SHORTER_EQ', lit('30 days', 'duration'))] })),
        /not an xsd:duration/,
      ],
      [
        agreement(permission({ 'ids:constraint': [constraint('SECURITY_LEVEL', 'EQUALS', lit('HIGH', 'string'))] })),
        /is not a security profile/,
      ],
      [
        agreement(
          permission({
            'ids:constraint': [{ '@type': 'ids:LogicalConstraint', 'ids:or': [constraint('COUNT', 'LTEQ', lit('1', 'double'))] }],
          }),
        ),
        /LogicalConstraint is not supported/,
      ],
      [agreement(permission({ 'ids:action': [{ '@id': 'idsc:DISTRIBUTE' }] })), /action DISTRIBUTE is not enforced/],
      [
        agreement(permission({ 'ids:postDuty': [{ 'ids:action': [{ '@id': 'idsc:ANONYMIZE' }] }] })),
        /no usage pattern carries out the duty ANONYMIZE/,
      ],
      [{ ...agreement(permission()), 'ids:contractEnd': { '@value': 'tomorrow' } }, /ids:contractEnd/],
    ];
    for (const [doc, reason] of cases) {
      denies(doc, undefined, reason);
      assert.ok(engine.problems(readPolicy(doc)).length > 0, `unenforceable: ${reason.source}`);
    }
  });

  it('the agreement window: before ids:contractStart and after ids:contractEnd nothing is permitted', () => {
    const doc = {
      ...agreement(permission()),
      'ids:contractStart': { '@value': '2026-02-01T00:00:00Z' },
      'ids:contractEnd': { '@value': '2026-12-31T00:00:00Z' },
    };
    denies(doc, ctx({ now: at('2026-01-31T23:59:59Z') }), /starts at/);
    permits(doc);
    denies(doc, ctx({ now: at('2026-12-31T00:00:01Z') }), /ended at/);
  });
});

describe('policy engine under malformed input', () => {
  it('1,000 seeded mutations of an agreement: never a throw, and every unenforceable one is a denial with reasons', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const junk: unknown[] = [
      null,
      7,
      'x',
      [],
      {},
      [{}],
      { '@value': 'PT1H' },
      { '@id': 'idsc:COUNT' },
      { '@value': '2026-01-01T00:00:00Z', '@type': 'xsd:dateTimeStamp' },
      [{ '@id': 'idsc:USE' }, 3],
    ];
    const base = (): JsonLd =>
      agreement(
        permission({
          'ids:constraint': [
            constraint('COUNT', 'LTEQ', lit('3', 'double')),
            constraint('POLICY_EVALUATION_TIME', 'BEFORE', lit('2027-01-01T00:00:00Z', 'dateTimeStamp')),
          ],
          'ids:postDuty': [{ 'ids:action': [{ '@id': 'idsc:LOG' }] }],
        }),
      );
    const paths = [
      (d: JsonLd, v: unknown) => ((d['ids:permission'] as JsonLd[])[0]['ids:action'] = v as never),
      (d: JsonLd, v: unknown) => ((d['ids:permission'] as JsonLd[])[0]['ids:constraint'] = v as never),
      (d: JsonLd, v: unknown) => (((d['ids:permission'] as JsonLd[])[0]['ids:constraint'] as JsonLd[])[0]['ids:rightOperand'] = v as never),
      (d: JsonLd, v: unknown) => (((d['ids:permission'] as JsonLd[])[0]['ids:constraint'] as JsonLd[])[1]['ids:operator'] = v as never),
      (d: JsonLd, v: unknown) => (((d['ids:permission'] as JsonLd[])[0]['ids:constraint'] as JsonLd[])[1]['ids:leftOperand'] = v as never),
      (d: JsonLd, v: unknown) => ((d['ids:permission'] as JsonLd[])[0]['ids:postDuty'] = v as never),
      (d: JsonLd, v: unknown) => ((d['ids:permission'] as JsonLd[])[0]['ids:target'] = v as never),
      (d: JsonLd, v: unknown) => (d['ids:prohibition'] = v as never),
      (d: JsonLd, v: unknown) => (d['ids:contractStart'] = v as never),
      (d: JsonLd, v: unknown) => (d['ids:permission'] = v as never),
    ];
    let denied = 0;
    for (let i = 0; i < 1000; i++) {
      const doc = base();
      for (let k = 0; k <= rand(3); k++) paths[rand(paths.length)](doc, junk[rand(junk.length)]);
      const policy = readPolicy(doc);
      const problems = engine.problems(policy);
      const d = engine.decide(policy, T, ctx());
      assert.ok(d.reasons.length > 0, 'every decision says why');
      if (problems.length > 0) assert.equal(d.permit, false, `unenforceable but permitted: ${JSON.stringify(doc)}`);
      if (!d.permit) denied++;
    }
    assert.ok(denied > 300, `most mutations are refused (${denied})`);
  });
});
