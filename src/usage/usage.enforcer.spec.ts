import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';
import { PendingRows, type RowSink } from '../database/write.batcher.js';
import { recorder, strictFake } from '../../test/support/strict-fake.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import type { NewRecord } from '../clearing-house/clearing-house.records.js';
import { EvidenceUnit, type Evidence } from '../clearing-house/evidence.unit.js';
import { Clock, FixedClock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { ConnectorError } from '../common/connector.error.js';
import { dapsSettings } from '../daps/daps.settings.js';
import { connectorSettings } from '../ids/connector.settings.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import type { UsageLogEntity } from './entities/usage-log.entity.js';
import { PATTERN_CLASSES } from './patterns/all.patterns.js';
import { PatternRegistry } from './patterns/pattern.registry.js';
import { UsageNotificationPattern } from './patterns/usage-notification.pattern.js';
import { PolicyEngine } from './policy/policy.engine.js';
import { UsageEnforcer, type UseRequest } from './usage.enforcer.js';
import { UsageNotifier } from './usage.notifier.js';
import { COUNTED_USES, USAGE_LOG_ROWS, UsageRepository, type CounterKey } from './usage.repository.js';
import { usageSettings } from './usage.settings.js';
import { UseCounters } from './use.counters.js';

const T = 'https://provider.example/artifact/1';
const USE = { '@id': 'https://w3id.org/idsa/code/USE' };
const lit = (value: string, type: string): JsonLd => ({ '@value': value, '@type': `http://www.w3.org/2001/XMLSchema#${type}` });
const count = (n: number): JsonLd => ({
  'ids:leftOperand': { '@id': 'idsc:COUNT' },
  'ids:operator': { '@id': 'idsc:LTEQ' },
  'ids:rightOperand': lit(String(n), 'double'),
});
const notify = {
  'ids:action': [{ '@id': 'idsc:NOTIFY' }],
  'ids:constraint': [
    {
      'ids:leftOperand': { '@id': 'idsc:ENDPOINT' },
      'ids:operator': { '@id': 'idsc:DEFINES_AS' },
      'ids:rightOperand': lit('https://notify.example/n', 'anyURI'),
    },
  ],
};
const agreement = (permission: JsonLd): JsonLd => ({
  '@type': 'ids:ContractAgreement',
  '@id': 'urn:agreement:1',
  'ids:contractStart': lit('2026-01-01T00:00:00Z', 'dateTimeStamp'),
  'ids:permission': [{ 'ids:action': [USE], 'ids:target': { '@id': T }, ...permission }],
});

const keyOf = (k: CounterKey): string => `${k.side}|${k.agreementIri}|${k.target}`;

/** The usage store in memory: counters with the conditional claim, the usage log. */
function memoryRepository(): { repository: UsageRepository; counters: Map<string, number>; log: UsageLogEntity[] } {
  const counters = new Map<string, number>();
  const log: UsageLogEntity[] = [];
  const repository: UsageRepository = strictFake<UsageRepository>('UsageRepository', {
    manager: {} as EntityManager,
    uses: (k: CounterKey) => Promise.resolve(counters.get(keyOf(k)) ?? 0),
    claim: (k: CounterKey, limit: number | undefined) => {
      const uses = counters.get(keyOf(k)) ?? 0;
      if (limit !== undefined && uses >= limit) return Promise.resolve(false);
      counters.set(keyOf(k), uses + 1);
      return Promise.resolve(true);
    },
    release: (k: CounterKey) => Promise.resolve(void counters.set(keyOf(k), (counters.get(keyOf(k)) ?? 1) - 1)),
    log: (entry: UsageLogEntity) => {
      log.push(entry);
      return Promise.resolve(entry);
    },
    unlog: (id: string) =>
      Promise.resolve(
        void log.splice(
          log.findIndex((e) => e.id === id),
          1,
        ),
      ),
    using: () => repository,
  });
  return { repository, counters, log };
}

async function enforcerWith(options: { notifyFails?: boolean; clearingHouse?: boolean; held?: boolean; writeFails?: boolean } = {}) {
  const store = memoryRepository();
  const records: { records: NewRecord[]; hold: boolean }[] = [];
  // A permitted use's rows go in with the group commit: kept with the others here.
  const sink: RowSink = {
    append: (table, row) => {
      const key = keyOf(row as CounterKey);
      if (table === USAGE_LOG_ROWS) {
        store.log.push(row as UsageLogEntity);
      } else if (table === COUNTED_USES) {
        store.counters.set(key, (store.counters.get(key) ?? 0) + 1);
      } else {
        assert.fail('unexpected rows');
      }
    },
  };
  const evidence = strictFake<EvidenceUnit>('EvidenceUnit', {
    recording: options.clearingHouse ?? true,
    rowsOnly: <R>(action: (rows: RowSink) => R) =>
      options.writeFails ? Promise.reject(new Error('disk full')) : Promise.resolve(action(sink)),
    run: <R>(action: (e: Evidence) => Promise<R>) =>
      options.writeFails
        ? Promise.reject(new Error('disk full'))
        : action({
            manager: {} as EntityManager,
            rows: sink,
            record: (r, o) => Promise.resolve(void records.push({ records: r, hold: o?.hold ?? false })),
          }),
  });
  const release = recorder((_m: EntityManager, _id: string, _patch: Record<string, unknown>) => Promise.resolve());
  const withdraw = recorder((_m: EntityManager, _id: string) => Promise.resolve());
  const notified = recorder((_endpoint: string) => (options.notifyFails ? Promise.reject(new Error('HTTP 503')) : Promise.resolve()));
  const moduleRef = await Test.createTestingModule({
    providers: [
      UsageEnforcer,
      {
        provide: PolicyEngine,
        useValue: new PolicyEngine(
          PatternRegistry.of(
            PATTERN_CLASSES.map((P) =>
              P === UsageNotificationPattern ? new UsageNotificationPattern(['https://notify.example/']) : new P(),
            ),
          ),
        ),
      },
      { provide: UsageRepository, useValue: store.repository },
      // Held: the counts of a store this process owns (SQLite), kept in memory; else each read goes to the store.
      { provide: UseCounters, useValue: new UseCounters(options.held ?? false, (k) => store.repository.uses(k)) },
      { provide: UsageNotifier, useValue: strictFake<UsageNotifier>('UsageNotifier', { notify: notified }) },
      { provide: ClearingHouseOutbox, useValue: strictFake<ClearingHouseOutbox>('ClearingHouseOutbox', { release, withdraw }) },
      { provide: EvidenceUnit, useValue: evidence },
      { provide: Clock, useValue: new FixedClock(new Date('2026-06-01T12:00:00Z')) },
      { provide: Metrics, useValue: new Metrics() },
      { provide: connectorSettings.token, useValue: { id: 'https://consumer.example/', securityProfile: 'BASE_SECURITY_PROFILE' } },
      { provide: dapsSettings.token, useValue: { skewSeconds: 60 } },
      { provide: usageSettings.token, useValue: { purposes: [], roles: [], notifyAllowed: ['https://notify.example/'] } },
    ],
  }).compile();
  return { enforcer: moduleRef.get(UsageEnforcer), ...store, records, release, withdraw, notified };
}

const use = (document: JsonLd, extra: Partial<UseRequest> = {}): UseRequest => ({
  side: 'provider',
  agreementIri: 'urn:agreement:1',
  document,
  stored: '2026-01-01T00:00:00Z',
  target: T,
  consumer: 'https://consumer.example/',
  consume: true,
  ...extra,
});
const denied = (reason: RegExp) => (e: unknown) => e instanceof ConnectorError && e.code === 'NOT_AUTHORIZED' && reason.test(e.message);

describe('UsageEnforcer (unit, strict fakes)', () => {
  it('claims one use per permitted request, with its usage-log record, and denies the use past the limit', async () => {
    const { enforcer, counters, log } = await enforcerWith();
    const doc = agreement({ 'ids:constraint': [count(2)] });
    await enforcer.authorize(use(doc));
    await enforcer.authorize(use(doc));
    await assert.rejects(enforcer.authorize(use(doc)), denied(/2 of 2 uses made, none left/));
    assert.equal(counters.get('provider|urn:agreement:1|' + T), 2);
    assert.deepEqual(
      log.map((e) => e.permitted),
      [true, true, false],
      'every decision is in the usage log',
    );
  });

  it('in an inbound exchange, a use with nothing to check or take back is left to the exchange’s record', async () => {
    const { enforcer, counters, log } = await enforcerWith({ clearingHouse: false });
    const left: { table: object; row: unknown }[] = [];
    const rows = new PendingRows();
    rows.append = (table: object, row: unknown) => void left.push({ table, row });
    const permit = await enforcer.authorize(use(agreement({}), { rows }));
    assert.equal(permit.permit, true);
    assert.deepEqual(
      left.map((r) => r.table),
      [COUNTED_USES, USAGE_LOG_ROWS],
      'its count and its usage-log record, for the exchange to commit with its audit row',
    );
    assert.equal((left[1].row as UsageLogEntity).permitted, true);
    assert.equal(counters.size + log.length, 0, 'nothing committed on its own');

    // A notification could take the use back, so that one is committed here, before the notification goes.
    const notified = await enforcerWith({ clearingHouse: false });
    await notified.enforcer.authorize(use(agreement({ 'ids:postDuty': [notify] }), { rows }));
    assert.equal(left.length, 2, 'nothing more left to the exchange');
    assert.equal(notified.log.length, 1);
  });

  it('counts held in memory: concurrent uses never pass the limit, and each is written as a plain increment', async () => {
    const { enforcer, counters } = await enforcerWith({ held: true });
    const doc = agreement({ 'ids:constraint': [count(3)] });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => enforcer.authorize(use(doc))));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) {
      assert.ok(denied(/N_TIMES_USAGE: all 3 uses are spent|3 of 3 uses made/)(o.reason), String(o.reason));
    }
    assert.equal(counters.get('provider|urn:agreement:1|' + T), 3, 'three increments reached the store');
  });

  it('counts held in memory: a use whose write fails is given back, and the next request may have it', async () => {
    const failing = await enforcerWith({ held: true, writeFails: true, clearingHouse: false });
    const doc = agreement({ 'ids:constraint': [count(1)] });
    await assert.rejects(failing.enforcer.authorize(use(doc)), denied(/could not be recorded/));
    const standing = await failing.enforcer.standing(use(doc));
    assert.deepEqual([standing.uses, standing.permitted], [0, true], 'the reservation was taken back');

    // Left to the exchange's record: given back when that record is not written, kept when it is.
    const { enforcer } = await enforcerWith({ held: true, clearingHouse: false });
    const lost = new PendingRows();
    await enforcer.authorize(use(doc, { rows: lost }));
    assert.equal(lost.size, 2, 'its increment and its usage-log record wait for the exchange');
    await assert.rejects(enforcer.authorize(use(doc, { rows: new PendingRows() })), denied(/1 of 1 uses made/), 'reserved');
    lost.settle(false);
    const kept = new PendingRows();
    await enforcer.authorize(use(doc, { rows: kept }));
    kept.settle(true);
    assert.equal((await enforcer.standing(use(doc))).uses, 1);
    await assert.rejects(enforcer.authorize(use(doc)), denied(/1 of 1 uses made/));
  });

  it('decides without spending anything when consume is false', async () => {
    const { enforcer, counters, records } = await enforcerWith();
    const decision = await enforcer.authorize(use(agreement({ 'ids:constraint': [count(1)] }), { consume: false }));
    assert.equal(decision.permit, true);
    assert.equal(counters.size, 0);
    assert.equal(records.length, 0);
  });

  it('holds a transfer record back until the transfer ended, then completes it with what was served', async () => {
    const { enforcer, records, release } = await enforcerWith();
    const permit = await enforcer.authorize(
      use(agreement({}), { transfer: { message: { '@id': 'urn:msg:1' }, payloadSha256: null, served: 'pending' } }),
    );
    assert.equal(records.length, 1);
    assert.equal(records[0].hold, true);
    assert.equal(records[0].records[0].id, permit.recordId);
    await enforcer.transferEnded(permit.recordId!, { sha256: 'ab'.repeat(32), bytes: 42, complete: true });
    assert.deepEqual(release.calls[0].slice(1), [permit.recordId, { payloadSha256: 'ab'.repeat(32), bytesServed: 42 }]);
  });

  it('a failed notification takes the claim and the record back, and denies the use', async () => {
    const { enforcer, counters, log, withdraw, notified } = await enforcerWith({ notifyFails: true });
    const doc = agreement({ 'ids:postDuty': [notify], 'ids:constraint': [count(1)] });
    await assert.rejects(enforcer.authorize(use(doc)), denied(/could not be notified \(HTTP 503\)/));
    assert.equal(notified.calls[0][0], 'https://notify.example/n');
    assert.equal(counters.get('provider|urn:agreement:1|' + T), 0, 'the use is given back');
    assert.deepEqual(
      log.map((e) => e.permitted),
      [false],
      'its permitted record is gone; the denial is logged',
    );
    assert.equal(withdraw.calls.length, 1);
  });

  it('a notified use releases its held record once the notification went out', async () => {
    const { enforcer, records, release } = await enforcerWith();
    const permit = await enforcer.authorize(use(agreement({ 'ids:postDuty': [notify, { 'ids:action': [{ '@id': 'idsc:LOG' }] }] })));
    assert.equal(records[0].hold, true, 'held while the notification is still to go');
    assert.deepEqual(
      release.calls.map((c) => c[1]),
      [permit.recordId],
    );
  });

  it('denies an unenforceable policy, saying why', async () => {
    const { enforcer } = await enforcerWith();
    const odd = agreement({
      'ids:constraint': [
        { 'ids:leftOperand': { '@id': 'idsc:WEATHER' }, 'ids:operator': { '@id': 'idsc:EQ' }, 'ids:rightOperand': 'sunny' },
      ],
    });
    await assert.rejects(
      enforcer.authorize(use(odd)),
      denied(/unenforceable policy: .*no usage pattern evaluates the left operand WEATHER/),
    );
  });
});
