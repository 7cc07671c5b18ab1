import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { ConnectorError } from '../../common/connector.error.js';
import { parseJson } from '../../common/json.js';
import { isObject } from '../../ids/infomodel/jsonld.reader.js';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';
import { proxyStatusOf } from './true-status.mapper.js';
import { RemoteRejectionError } from '../../ids/outbound/remote-rejection.error.js';
import type { OutboundPayload } from '../../ids/transport/multipart.writer.js';
import { ConsumerService } from '../../consumer/consumer.service.js';
import type { ProxyRequestDto } from './proxy-request.dto.js';

export interface ProxyAnswer {
  status: number;
  contentType: string;
  body: string | Buffer | Readable;
}

/** TRUE's basic data app defaults (true-connector-basic_data_app, service/impl/ProxyServiceImpl.java). */
export const TRUE_DEFAULT_ARTIFACT = 'http://w3id.org/engrd/connector/artifact/1';
export const TRUE_DEFAULT_CONTRACT = 'http://w3id.org/engrd/connector/examplecontract';

function objectPayload(payload: unknown, what: string): JsonLd {
  const value = typeof payload === 'string' ? parseJson(payload, 'payload') : payload;
  if (!isObject(value)) throw ConnectorError.badInput('payload', `must be the ${what} as a JSON object`);
  return value;
}

function optionalPayload(payload: unknown): OutboundPayload | undefined {
  if (payload === undefined || payload === null) return undefined;
  return typeof payload === 'string'
    ? { data: payload, contentType: 'text/plain' }
    : { data: JSON.stringify(payload), contentType: 'application/json' };
}

const text = (body: string, status = 200): ProxyAnswer => ({ status, contentType: 'text/plain', body });

/**
 * TRUE Connector's data-app /proxy, answering as its basic data app does: the remote reply's payload, or the
 * reply's message type name when there is none; a rejection as TRUE's HTTP status with "Rejection occured with
 * reason: R" (sic, TRUE's wording, which its tools match). Agreements and artifacts are kept as by the consumer API.
 */
@Injectable()
export class TrueProxyService {
  constructor(private readonly consumer: ConsumerService) {}

  async handle(request: ProxyRequestDto): Promise<ProxyAnswer> {
    try {
      return await this.forward(request);
    } catch (error) {
      if (error instanceof RemoteRejectionError) return text(`Rejection occured with reason: ${error.reason}`, proxyStatusOf(error.reason));
      throw error;
    }
  }

  private async forward(r: ProxyRequestDto): Promise<ProxyAnswer> {
    const url = r['Forward-To'];
    switch (r.messageType) {
      case 'DescriptionRequestMessage': {
        const description = await this.consumer.describe(url, r.requestedElement, r.multipart);
        return { status: 200, contentType: 'application/json', body: JSON.stringify(description) };
      }
      case 'ContractRequestMessage': {
        const { agreement } = await this.consumer.requestContract(url, objectPayload(r.payload, 'ids:ContractRequest'), r.multipart);
        return { status: 200, contentType: 'application/json', body: JSON.stringify(agreement) };
      }
      case 'ContractAgreementMessage': {
        const agreement = objectPayload(r.payload, 'ids:ContractAgreement');
        await this.consumer.keepAgreement(url, agreement);
        const reply = await this.consumer.confirm(url, agreement, r.multipart);
        reply.payload?.resume();
        return text(reply.message.type.replace(/^ids:/, ''));
      }
      case 'ArtifactRequestMessage': {
        const payload = optionalPayload(r.payload);
        const received = await this.consumer.fetch(
          url,
          r.requestedArtifact ?? TRUE_DEFAULT_ARTIFACT,
          r.transferContract ?? TRUE_DEFAULT_CONTRACT,
          payload,
          r.multipart,
        );
        const { stream } = await this.consumer.receivedArtifact(received.id);
        return { status: 200, contentType: received.mediaType ?? 'application/octet-stream', body: stream };
      }
    }
  }
}
