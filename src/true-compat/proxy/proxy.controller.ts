import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OwnAuthentication } from '../../common/http/access.decorators.js';
import { TrueGatewayGuard } from '../gateway/true-gateway.guard.js';
import { JsonBodyAnyType } from '../../common/http/body.decorators.js';
import { ProxyRequestDto } from './proxy-request.dto.js';
import { TrueProxyService } from './true-proxy.service.js';

/** TRUE Connector's data-app proxy, so TRUE's own tooling (its Postman collections) drives this connector. */
@ApiTags('TRUE Connector compatibility')
@ApiBasicAuth()
@OwnAuthentication()
@UseGuards(TrueGatewayGuard)
@JsonBodyAnyType()
@Controller('proxy')
export class ProxyController {
  constructor(private readonly proxy: TrueProxyService) {}

  @ApiOperation({ summary: 'TRUE Connector /proxy: sends an IDS message described by TRUE’s JSON body' })
  @Post()
  async send(@Body() body: ProxyRequestDto, @Res() res: Response): Promise<void> {
    const answer = await this.proxy.handle(body);
    res.status(answer.status).type(answer.contentType);
    if (answer.body instanceof Readable) await pipeline(answer.body, res);
    else res.send(answer.body);
  }
}
