import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BrokerService, type RegistrationStatus } from '../../broker/broker.service.js';
import { RawBody } from '../../common/http/body.decorators.js';
import { readPayload } from '../../ids/transport/ids-transport.codec.js';

/**
 * TRUE Connector's self-registration paths (`/api/selfRegistration/*`; also without the `/api` prefix). Its query
 * takes the SPARQL text as the body.
 */
@ApiTags('TRUE Connector compatibility')
@ApiBasicAuth()
@Controller(['api/selfRegistration', 'selfRegistration'])
export class SelfRegistrationController {
  constructor(private readonly broker: BrokerService) {}

  @ApiOperation({ summary: 'TRUE Connector: registers at (or updates) the broker' })
  @Post(['register', 'update'])
  @HttpCode(200)
  register(): Promise<RegistrationStatus> {
    return this.broker.register();
  }

  @ApiOperation({ summary: 'TRUE Connector: unregisters from (passivates at) the broker' })
  @Post(['delete', 'passivate'])
  @HttpCode(200)
  unregister(): Promise<RegistrationStatus> {
    return this.broker.unregister();
  }

  @ApiOperation({ summary: 'TRUE Connector: SPARQL query at the broker (the query as text)' })
  @Post('query')
  @RawBody()
  @HttpCode(200)
  @ApiBody({ description: 'the SPARQL query as text', schema: { type: 'string' } })
  async query(@Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await this.broker.query((await readPayload(req, 1 << 20, 'the 1 MiB query limit'))!.toString('utf8'));
    res.type(answer.contentType).send(answer.text);
  }
}
