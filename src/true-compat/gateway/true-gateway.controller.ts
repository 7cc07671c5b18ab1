import { Controller, Headers, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { discardRest } from '../../common/stream/discard.js';
import { ApiBasicAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConnectorError } from '../../common/connector.error.js';
import { idsSettings, type IdsSettings } from '../../ids/ids.settings.js';
import { OwnAuthentication } from '../../common/http/access.decorators.js';
import { TrueGatewayGuard } from './true-gateway.guard.js';
import { RawBody } from '../../common/http/body.decorators.js';
import { TokenProvider } from '../../ids/seams/token.seam.js';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';
import { toPrefixedForm } from '../../ids/infomodel/local-context.js';
import { MessageBuilder } from '../../ids/messages/message.builder.js';
import { parseMessage } from '../../ids/messages/message.parser.js';
import { bestEffortRef, buildRejection } from '../../ids/messages/rejection.factory.js';
import { IdsClient } from '../../ids/outbound/ids.client.js';
import { RemoteRejectionError } from '../../ids/outbound/remote-rejection.error.js';
import { decodeMessage, encodeMessage, readPayload, type Transport } from '../../ids/transport/ids-transport.codec.js';
import { writeEncoded } from '../../ids/transport/reply.writer.js';

/**
 * TRUE Connector's data-app-facing endpoints (TRUE doc/TEST_API.md "Internal endpoints"): a data app posts a
 * whole IDS message in one transport with a Forward-To header; the connector puts its token in, forwards it in
 * the same transport and hands the reply back in that form.
 */
@ApiTags('TRUE Connector compatibility')
@ApiBasicAuth()
@OwnAuthentication()
@UseGuards(TrueGatewayGuard)
@RawBody()
@Controller('incoming-data-app')
export class TrueGatewayController {
  constructor(
    private readonly client: IdsClient,
    private readonly tokens: TokenProvider,
    private readonly builder: MessageBuilder,
    @Inject(idsSettings.token) private readonly ids: IdsSettings,
  ) {}

  @ApiOperation({ summary: 'TRUE data-app gateway: forwards an IDS message (multipart/form-data) to Forward-To' })
  @Post('multipartMessageBodyFormData')
  @ApiHeader({ name: 'Forward-To', required: true })
  form(@Headers('forward-to') to: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('form', to, req, res);
  }

  @ApiOperation({ summary: 'TRUE data-app gateway: forwards an IDS message (multipart/mixed) to Forward-To' })
  @Post('multipartMessageBodyBinary')
  @ApiHeader({ name: 'Forward-To', required: true })
  mixed(@Headers('forward-to') to: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('mixed', to, req, res);
  }

  @ApiOperation({ summary: 'TRUE data-app gateway: forwards an IDS message (http-header) to Forward-To' })
  @Post('multipartMessageHttpHeader')
  @ApiHeader({ name: 'Forward-To', required: true })
  httpHeader(@Headers('forward-to') to: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forward('http-header', to, req, res);
  }

  private async forward(transport: Transport, to: string | undefined, req: Request, res: Response): Promise<void> {
    let header: JsonLd | undefined;
    try {
      if (to === undefined || !/^https?:\/\/\S+$/.test(to)) {
        throw new ConnectorError(
          'BAD_INPUT',
          "the Forward-To header must name the remote connector's IDS endpoint (http(s) URL)",
          'Forward-To',
        );
      }
      const decoded = await decodeMessage(req.headers, req, transport);
      header = await toPrefixedForm(decoded.header);
      parseMessage(header);
      const payload = await readPayload(decoded.payload, this.ids.maxMessageBytes);
      const reply = await this.client.send({
        url: to,
        header,
        transport,
        ...(payload === null ? {} : { payload: { data: payload, contentType: decoded.payloadContentType ?? 'text/plain' } }),
      });
      const replyPayload =
        reply.payload === null ? undefined : { data: reply.payload, contentType: reply.payloadContentType ?? 'application/octet-stream' };
      await writeEncoded(res, encodeMessage(transport, reply.message.header, replyPayload));
    } catch (error) {
      await discardRest(req);
      if (error instanceof RemoteRejectionError) {
        await writeEncoded(res, encodeMessage(transport, error.reply.header, { data: error.explanation, contentType: 'text/plain' }));
        return;
      }
      const token = await this.tokens.token().catch(() => '');
      const rejection = buildRejection(this.builder, token, bestEffortRef(header), error);
      await writeEncoded(res, encodeMessage(transport, rejection.header, rejection.payload));
    }
  }
}
