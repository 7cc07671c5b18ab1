import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Party } from './pki.fixture.js';
import type { TestDaps } from './test-daps.server.js';
import { IdsTestService, type IdsReply, type IdsRequestParts } from './ids-test-service.js';

type Json = Record<string, any>;

export interface LoggedEntry {
  pid: string;
  messageId: string;
  /** The DAT subject of the connector that logged it. */
  by: string;
  payload: Json;
}

/**
 * A test Clearing House with the AISEC clearing-house service's behaviour (logging-service/src/logging_api.rs):
 * `POST /process/{pid}` creates a process with owners (400 "Process already exists!" when it does),
 * `POST /messages/log/{pid}` needs a non-empty payload, creates an unknown process with the caller as owner,
 * refuses non-owners with 403, and answers 201 with a signed receipt. A message @id seen before is answered
 * as logged again without storing it twice (how the outbox's redelivery stays exactly-once).
 */
export class TestClearingHouse extends IdsTestService {
  readonly processes = new Map<string, Set<string>>();
  readonly log: LoggedEntry[] = [];
  private readonly seen = new Map<string, string>();
  private readonly key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  /** Requests to /messages/log, duplicates included. */
  logRequests = 0;

  private constructor(daps: TestDaps, party: Party) {
    super(daps, party);
  }

  static async start(daps: TestDaps, party: Party): Promise<TestClearingHouse> {
    const ch = new TestClearingHouse(daps, party);
    await ch.start();
    return ch;
  }

  protected async handle(path: string, { header, payload, claims }: IdsRequestParts): Promise<IdsReply> {
    const caller = String(claims['sub']);
    const process = /^\/process\/([^/]+)$/.exec(path);
    if (process) {
      const pid = decodeURIComponent(process[1]);
      if (this.processes.has(pid)) {
        return {
          status: 400,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:BAD_PARAMETERS' } },
          payload: 'Process already exists!',
        };
      }
      const owners = (JSON.parse(payload?.toString('utf8') ?? '{}') as Json)['owners'] as string[] | undefined;
      this.processes.set(pid, new Set([caller, ...(owners ?? [])]));
      return { status: 201, type: 'ids:MessageProcessedNotificationMessage' };
    }
    const log = /^\/messages\/log\/([^/]+)$/.exec(path);
    if (log) {
      this.logRequests++;
      const pid = decodeURIComponent(log[1]);
      if (header['@type'] !== 'ids:LogMessage') {
        return {
          status: 400,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:MALFORMED_MESSAGE' } },
          payload: 'a LogMessage is required',
        };
      }
      if (payload === null || payload.length === 0) {
        return {
          status: 400,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:BAD_PARAMETERS' } },
          payload: 'empty payload',
        };
      }
      if (!this.processes.has(pid)) this.processes.set(pid, new Set([caller]));
      if (!this.processes.get(pid)!.has(caller)) {
        return {
          status: 403,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:NOT_AUTHORIZED' } },
          payload: 'User not authorized!',
        };
      }
      const id = String(header['@id']);
      let receipt = this.seen.get(id);
      if (receipt === undefined) {
        this.log.push({ pid, messageId: id, by: caller, payload: JSON.parse(payload.toString('utf8')) as Json });
        receipt = await new SignJWT({ process_id: pid, message_id: id, chained_hash: String(this.log.length) })
          .setProtectedHeader({ alg: 'ES256' })
          .sign(this.key);
        this.seen.set(id, receipt);
      }
      return { status: 201, type: 'ids:MessageProcessedNotificationMessage', payload: receipt };
    }
    return { status: 404, type: 'ids:RejectionMessage', fields: { 'ids:rejectionReason': { '@id': 'idsc:NOT_FOUND' } } };
  }
}
