import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IsString } from 'class-validator';
import { ConnectorError } from '../common/connector.error.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { BrokerService, type RegistrationStatus } from './broker.service.js';

export class BrokerQueryDto {
  /** A SPARQL query (ASK, SELECT, CONSTRUCT or DESCRIBE), sent to the broker as an ids:QueryMessage. */
  @IsString()
  query!: string;
}

export class ResourceRefDto {
  /** `@id` of one of our offered resources. */
  @IsString()
  resource!: string;
}

async function rawText(request: Request, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ConnectorError('PAYLOAD_TOO_LARGE', `query larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The Metadata Broker as operators drive it: status, register, update, unregister, passivate, query, resources. */
@ApiTags('broker')
@ApiBasicAuth()
@Controller('api/broker')
export class BrokerController {
  constructor(private readonly broker: BrokerService) {}

  @Get('status')
  status(): RegistrationStatus {
    return this.broker.status();
  }

  @Post('register')
  @HttpCode(200)
  register(): Promise<RegistrationStatus> {
    return this.broker.register();
  }

  @Post('update')
  @HttpCode(200)
  update(): Promise<RegistrationStatus> {
    return this.broker.register();
  }

  @Post('unregister')
  @HttpCode(200)
  unregister(): Promise<RegistrationStatus> {
    return this.broker.unregister();
  }

  @Post('passivate')
  @HttpCode(200)
  passivate(): Promise<RegistrationStatus> {
    return this.broker.unregister();
  }

  @Post('query')
  @HttpCode(200)
  async query(@Body() dto: BrokerQueryDto, @Res() res: Response): Promise<void> {
    const answer = await this.broker.query(dto.query);
    res.type(answer.contentType).send(answer.text);
  }

  @Post('resources/update')
  @HttpCode(200)
  resourceUpdate(@Body() dto: ResourceRefDto): Promise<JsonLd> {
    return this.broker.resourceUpdate(dto.resource);
  }

  @Post('resources/unavailable')
  @HttpCode(200)
  resourceUnavailable(@Body() dto: ResourceRefDto): Promise<JsonLd> {
    return this.broker.resourceUnavailable(dto.resource);
  }
}

/**
 * TRUE Connector's self-registration paths (`/api/selfRegistration/*`; also without the `/api` prefix). Its query
 * takes the SPARQL text as the body.
 */
@ApiTags('broker')
@ApiBasicAuth()
@Controller(['api/selfRegistration', 'selfRegistration'])
export class SelfRegistrationController {
  constructor(private readonly broker: BrokerService) {}

  @Post('register')
  @HttpCode(200)
  register(): Promise<RegistrationStatus> {
    return this.broker.register();
  }

  @Post('update')
  @HttpCode(200)
  update(): Promise<RegistrationStatus> {
    return this.broker.register();
  }

  @Post('delete')
  @HttpCode(200)
  remove(): Promise<RegistrationStatus> {
    return this.broker.unregister();
  }

  @Post('passivate')
  @HttpCode(200)
  passivate(): Promise<RegistrationStatus> {
    return this.broker.unregister();
  }

  @Post('query')
  @HttpCode(200)
  @ApiBody({ description: 'the SPARQL query as text', schema: { type: 'string' } })
  async query(@Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await this.broker.query(await rawText(req));
    res.type(answer.contentType).send(answer.text);
  }
}
