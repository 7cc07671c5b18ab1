import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
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
  constructor(private readonly pipeline: IdsPipeline) {}

  @Public()
  @RawBody()
  @Post('data')
  @ApiOperation({ summary: 'IDS messages in multipart/form-data, multipart/mixed or http-header; answered in the same transport' })
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
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
