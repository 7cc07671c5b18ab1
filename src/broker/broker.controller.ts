import { BodyExample } from '../common/http/body-example.decorator.js';
import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsString } from 'class-validator';
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

/** The Metadata Broker as operators drive it: status, register, update, unregister, passivate, query, resources. */
@ApiTags('broker')
@ApiBasicAuth()
@Controller('api/broker')
export class BrokerController {
  constructor(private readonly broker: BrokerService) {}

  @ApiOperation({ summary: 'Broker registration: registered?, Location, last attempt, success and error' })
  @Get('status')
  status(): RegistrationStatus {
    return this.broker.status();
  }

  /** Register or update: the self-description goes to the broker (ids:ConnectorUpdateMessage). */
  @Post(['register', 'update'])
  @HttpCode(200)
  register(): Promise<RegistrationStatus> {
    return this.broker.register();
  }

  /** ids:ConnectorUnavailableMessage; automatic updates stop until the next register. */
  @Post(['unregister', 'passivate'])
  @HttpCode(200)
  unregister(): Promise<RegistrationStatus> {
    return this.broker.unregister();
  }

  @BodyExample(BrokerQueryDto, {
    query: 'PREFIX ids: <https://w3id.org/idsa/core/> SELECT ?r WHERE { ?c ids:resourceCatalog ?k . ?k ids:offeredResource ?r }',
  })
  @ApiOperation({ summary: 'SPARQL query at the broker (ids:QueryMessage)' })
  @Post('query')
  @HttpCode(200)
  async query(@Body() dto: BrokerQueryDto, @Res() res: Response): Promise<void> {
    const answer = await this.broker.query(dto.query);
    res.type(answer.contentType).send(answer.text);
  }

  @BodyExample(ResourceRefDto, { resource: 'https://w3id.org/idsa/autogen/resource/00000000-0000-4000-8000-000000000000' })
  @ApiOperation({ summary: 'Announces one resource to the broker (ids:ResourceUpdateMessage)' })
  @Post('resources/update')
  @HttpCode(200)
  resourceUpdate(@Body() dto: ResourceRefDto): Promise<JsonLd> {
    return this.broker.resourceUpdate(dto.resource);
  }

  @BodyExample(ResourceRefDto, { resource: 'https://w3id.org/idsa/autogen/resource/00000000-0000-4000-8000-000000000000' })
  @ApiOperation({ summary: 'Withdraws one resource from the broker (ids:ResourceUnavailableMessage)' })
  @Post('resources/unavailable')
  @HttpCode(200)
  resourceUnavailable(@Body() dto: ResourceRefDto): Promise<JsonLd> {
    return this.broker.resourceUnavailable(dto.resource);
  }
}
