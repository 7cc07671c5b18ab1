import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectorError } from '../../common/connector.error.js';
import { FixedClock } from '../../common/clock.js';
import { MessageBuilder } from './message.builder.js';
import { parseMessage } from './message.parser.js';

const builder = new MessageBuilder('https://me.example/', new FixedClock(new Date('2026-11-24T12:00:00Z')));

describe('MessageBuilder and parseMessage', () => {
  it('builds replies from the request and parses them back', () => {
    const request = parseMessage(
      builder.newMessage('ids:ArtifactRequestMessage', 'tok', { 'ids:requestedArtifact': { '@id': 'urn:a:1' } }),
    );
    assert.equal(request.requestedArtifact, 'urn:a:1');
    assert.equal(request.securityToken?.tokenValue, 'tok');
    assert.equal(request.issued, '2026-11-24T12:00:00.000Z');
    const reply = parseMessage(builder.replyTo(request, 'ids:ArtifactResponseMessage', 'tok2'));
    assert.equal(reply.correlationMessage, request.id);
    assert.deepEqual(reply.recipientConnector, ['https://me.example/']);
    assert.equal(reply.modelVersion, '4.2.7');
    assert.notEqual(reply.id, request.id);
  });

  const base = (): Record<string, unknown> => builder.newMessage('ids:DescriptionRequestMessage', 'tok');
  const code = (header: unknown): string => {
    try {
      parseMessage(header);
      return 'ok';
    } catch (e) {
      return e instanceof ConnectorError ? `${e.code} ${e.field ?? ''}`.trim() : 'other';
    }
  };

  it('names the field of each problem', () => {
    assert.equal(code({ ...base(), '@type': undefined }), 'MALFORMED_MESSAGE @type');
    assert.equal(code({ ...base(), '@type': 'ids:Nonsense' }), 'MESSAGE_TYPE_NOT_SUPPORTED @type');
    assert.equal(code({ ...base(), 'ids:modelVersion': '1.0.0' }), 'VERSION_NOT_SUPPORTED ids:modelVersion');
    assert.equal(code({ ...base(), 'ids:issued': 'noon' }), 'MALFORMED_MESSAGE ids:issued');
    assert.equal(code({ ...base(), 'ids:issuerConnector': 42 }), 'MALFORMED_MESSAGE ids:issuerConnector');
    assert.equal(code({ ...base(), 'ids:senderAgent': undefined }), 'MALFORMED_MESSAGE ids:senderAgent');
    assert.equal(code({ ...builder.newMessage('ids:ArtifactRequestMessage', 't') }), 'MALFORMED_MESSAGE ids:requestedArtifact');
    assert.equal(code('a string'), 'MALFORMED_MESSAGE header');
    assert.equal(code(base()), 'ok');
  });
});

describe('parseMessage: information model 4.2 names', () => {
  it('reads dct:issued (4.2 removed ids:issued), in prefixed and full-IRI form', () => {
    // Hardening finding 17: 4.2.x is announced as an inbound version, and its messages carry dct:issued.
    const message = builder.newMessage('ids:DescriptionRequestMessage', 'tok');
    const { ['ids:issued']: issued, ...rest } = message;
    assert.equal(parseMessage({ ...rest, 'dct:issued': issued, 'ids:modelVersion': '4.2.0' }).issued, '2026-11-24T12:00:00.000Z');
    assert.equal(parseMessage({ ...rest, 'http://purl.org/dc/terms/issued': issued }).issued, '2026-11-24T12:00:00.000Z');
    assert.throws(() => parseMessage(rest), /ids:issued: is required/);
  });
});
