import { Controller, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { Public } from '../../common/http/access.decorators.js';
import { RawBody } from '../../common/http/body.decorators.js';
import { encodeMessage } from '../transport/ids-transport.codec.js';
import { writeEncoded } from '../transport/reply.writer.js';
import { IdsPipeline } from './ids-pipeline.service.js';

/** The IDS endpoint other connectors talk to. No admin credentials: every message is checked by its token. */
@ApiTags('IDS')
@Controller()
export class DataController {
  private readonly logger = new Logger('IdsEndpoint');

  constructor(private readonly pipeline: IdsPipeline) {}

  @Public()
  @RawBody()
  @Post('data')
  @HttpCode(200)
  @ApiOperation({
    summary: 'IDS messages in multipart/form-data, multipart/mixed or http-header; answered in the same transport',
    description:
      'Multipart: parts `header` (the IDS message, JSON-LD: `ids:` keys with an inline context, or un-prefixed keys with https://w3id.org/idsa/contexts/context.jsonld) and `payload`. ' +
      'http-header: the message in `IDS-*` headers (`IDS-Messagetype`, `IDS-Id`, `IDS-Issued`, `IDS-ModelVersion`, `IDS-IssuerConnector`, `IDS-SenderAgent`, `IDS-SecurityToken-*`, ...), the payload as the body. ' +
      'Every message needs a DAT (`ids:securityToken`). Supported: DescriptionRequest, ContractRequest, ContractAgreement, ArtifactRequest, Request (subscriptions), ResourceUpdate.',
  })
  @ApiConsumes('multipart/form-data', 'multipart/mixed', 'application/octet-stream')
  @ApiHeader({
    name: 'IDS-Messagetype',
    required: false,
    description: 'http-header transport: the message type, e.g. ids:DescriptionRequestMessage',
  })
  @ApiProduces('multipart/form-data', 'multipart/mixed', 'application/json')
  @ApiOkResponse({
    description:
      'The reply, in the request’s transport. A refusal is an `ids:RejectionMessage` with `ids:rejectionReason` (idsc:NOT_AUTHENTICATED, NOT_AUTHORIZED, MALFORMED_MESSAGE, BAD_PARAMETERS, NOT_FOUND, MESSAGE_TYPE_NOT_SUPPORTED, ...) and still HTTP 200: TRUE Connector’s consumer drops the reason of any status of 300 or more.',
  })
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.serve(req, res);
  }

  /**
   * What the route does, called ahead of Express (a front route, app.factory.ts) on Node's own request and response.
   * Never rejects: a failure after the reply began breaks the connection, before it a 500 goes out (the pipeline
   * turns every message's failure into a RejectionMessage, so only a fault of our own gets here).
   */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.answer(req, res);
    } catch (error) {
      this.logger.error(`IDS reply not written: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) {
        res.destroy();
      } else {
        res.statusCode = 500;
        res.end();
      }
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket as TLSSocket;
    const cert = socket.encrypted && typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const client = cert?.raw
      ? {
          certSha256: createHash('sha256').update(cert.raw).digest('hex'),
          trusted: socket.authorized,
          error: String(socket.authorizationError ?? ''),
        }
      : undefined;
    const reply = await this.pipeline.process(req.headers, req, client);
    await writeEncoded(res, encodeMessage(reply.transport, reply.header, reply.payload));
  }
}
