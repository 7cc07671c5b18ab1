import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { strictFake } from '../../test/support/strict-fake.js';
import { Clock, SystemClock } from '../common/clock.js';
import { dapsSettings } from '../daps/daps.settings.js';
import { write } from '../database/transaction.runner.js';
import { CONNECTOR_IDENTITY } from '../ids/seams/identity.seam.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import type { IdsMessage } from '../ids/messages/message.types.js';
import { IdsClient, type IdsRequest, type IdsResponse } from '../ids/outbound/ids.client.js';
import { runtimeSettings } from '../runtime/runtime.settings.js';
import { Scheduler } from '../runtime/scheduler.service.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import { clearingHouseSettings } from './clearing-house.settings.js';
import { OutboxRecordEntity } from './entities/outbox-record.entity.js';
import { OutboxWorker } from './outbox.worker.js';

/** The worker against a real SQLite outbox, with a fake clearing house behind the IdsClient seam. */
describe('OutboxWorker (unit: real SQLite outbox, fake clearing house)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-outbox-spec-'));
  let moduleRef: TestingModule;
  const sent: { url: string; id: string }[] = [];
  const down = new Set<string>();

  before(async () => {
    const answer = (request: IdsRequest): Promise<IdsResponse> => {
      const id = request.header['@id'] as string;
      sent.push({ url: request.url, id });
      if ([...down].some((pid) => request.url.endsWith(pid))) return Promise.reject(new Error('clearing house unreachable'));
      const message = { id: 'urn:ch:reply', type: 'ids:MessageProcessedNotificationMessage', header: {} } as unknown as IdsMessage;
      return Promise.resolve({
        message,
        header: {},
        payload: Readable.from([Buffer.from('receipt')]),
        transport: 'form',
        status: 201,
        done: Promise.resolve(),
      });
    };
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'sqlite', database: join(dir, 'outbox.sqlite'), entities: [OutboxRecordEntity], synchronize: true }),
        TypeOrmModule.forFeature([OutboxRecordEntity]),
      ],
      providers: [
        OutboxWorker,
        ClearingHouseOutbox,
        Scheduler,
        { provide: IdsClient, useValue: strictFake<IdsClient>('IdsClient', { send: answer }) },
        { provide: MessageBuilder, useValue: new MessageBuilder('https://me.example/', new SystemClock()) },
        { provide: Clock, useValue: new SystemClock() },
        { provide: clearingHouseSettings.token, useValue: { url: 'https://ch.example' } },
        { provide: runtimeSettings.token, useValue: { pollMs: 60_000, retryMaxMs: 60_000 } },
        { provide: dapsSettings.token, useValue: { clientId: 'ME:keyid:CA' } },
        { provide: CONNECTOR_IDENTITY, useValue: {} },
      ],
    }).compile();
    await moduleRef.init();
  });
  after(async () => {
    await moduleRef.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers per process in order, holds a failing process back without holding the others, and resends with the same @id', async () => {
    const outbox = moduleRef.get(ClearingHouseOutbox);
    const worker = moduleRef.get(OutboxWorker);
    const manager = moduleRef.get(DataSource).manager;
    const rec = (id: string, pid: string): { id: string; pid: string; kind: 'log'; body: Record<string, unknown> } => ({
      id,
      pid,
      kind: 'log',
      body: { n: id },
    });
    down.add('p-one');
    await outbox.write(manager, [rec('a1', 'p-one'), rec('b1', 'p-two'), rec('a2', 'p-one')]);
    await worker.kick();
    const delivered = async (): Promise<string[]> =>
      (await manager.find(OutboxRecordEntity, { where: { status: 'delivered' }, order: { seq: 'ASC' } })).map((r) => r.id);
    assert.deepEqual(await delivered(), ['b1'], 'p-two goes; p-one waits behind its failing first record');
    assert.equal(sent.filter((s) => s.url.endsWith('p-one')).length, 1, 'the second record of p-one was not tried out of order');
    down.clear();
    // Due again only after its backoff: make it due now, as time would.
    await write(manager, (tx) => tx.update(OutboxRecordEntity, { id: 'a1' }, { nextAttempt: new Date(0).toISOString() }));
    await worker.kick();
    assert.deepEqual(await delivered(), ['a1', 'b1', 'a2']);
    const a1 = sent.filter((s) => s.id.endsWith('/a1'));
    assert.equal(a1.length, 2, 'a1 was sent twice');
    assert.equal(a1[0].id, a1[1].id, 'with the same message @id both times');
  });

  it('a held record keeps its place: the records after it in its process wait until it is released', async () => {
    const outbox = moduleRef.get(ClearingHouseOutbox);
    const worker = moduleRef.get(OutboxWorker);
    const manager = moduleRef.get(DataSource).manager;
    await outbox.write(manager, [{ id: 'h1', pid: 'p-three', kind: 'log', body: {} }], { hold: true });
    await outbox.write(manager, [{ id: 'h2', pid: 'p-three', kind: 'log', body: {} }]);
    await worker.kick();
    const status = async (id: string): Promise<string | undefined> => (await manager.findOneBy(OutboxRecordEntity, { id }))?.status;
    assert.equal(await status('h1'), 'held');
    assert.equal(await status('h2'), 'pending');
    await outbox.release(manager, 'h1', { payloadSha256: 'cd'.repeat(32) });
    await worker.kick();
    assert.equal(await status('h1'), 'delivered');
    assert.equal(await status('h2'), 'delivered');
    assert.equal((await manager.findOneBy(OutboxRecordEntity, { id: 'h1' }))?.body['payloadSha256'], 'cd'.repeat(32));
  });
});
