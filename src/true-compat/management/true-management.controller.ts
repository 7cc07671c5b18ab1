import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorError } from '../../common/connector.error.js';
import type { JsonLd } from '../../ids/infomodel/jsonld.writer.js';
import { SelfDescriptionService } from '../../resources/self-description.service.js';
import { TrueManagementService } from './true-management.service.js';

const jsonLdBody = { schema: { type: 'object', description: 'infomodel JSON-LD, as TRUE Connector takes it' } };

function required(value: string | undefined, header: string): string {
  if (value === undefined || value.trim() === '') {
    throw ConnectorError.badInput(header, `the ${header} header naming the element's @id is required`);
  }
  return value.trim();
}

/**
 * TRUE Connector's self-description management API (TRUE doc/SELF_DESCRIPTION.md; its Postman collection
 * TRUE_Connector_v1): elements addressed by IRI in headers, infomodel JSON-LD bodies,
 * and every write answered with the whole new self-description.
 */
@ApiTags('TRUE Connector compatibility')
@ApiBasicAuth()
@Controller('api')
export class TrueManagementController {
  constructor(
    private readonly manage: TrueManagementService,
    private readonly selfDescription: SelfDescriptionService,
  ) {}

  @ApiOperation({ summary: 'TRUE Connector: the self-description' })
  @Get('selfDescription')
  @Header('Content-Type', 'application/ld+json')
  describe(): Promise<JsonLd> {
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: an offered resource (id in the resource header)' })
  @Get('offeredResource')
  @ApiHeader({ name: 'resource', required: true })
  getResource(@Headers('resource') iri?: string): Promise<JsonLd> {
    return this.selfDescription.element(required(iri, 'resource'));
  }

  @ApiOperation({ summary: 'TRUE Connector: adds an offered resource (infomodel JSON-LD)' })
  @Post('offeredResource')
  @HttpCode(200)
  @ApiHeader({ name: 'catalog', required: false })
  @ApiBody(jsonLdBody)
  async createResource(@Headers('catalog') catalog: string | undefined, @Body() body: unknown): Promise<JsonLd> {
    await this.manage.writeResource(catalog, body, 'create');
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: replaces an offered resource' })
  @Put('offeredResource')
  @ApiHeader({ name: 'catalog', required: false })
  @ApiBody(jsonLdBody)
  async replaceResource(@Headers('catalog') catalog: string | undefined, @Body() body: unknown): Promise<JsonLd> {
    await this.manage.writeResource(catalog, body, 'replace');
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: deletes an offered resource' })
  @Delete('offeredResource')
  @ApiHeader({ name: 'resource', required: true })
  async deleteResource(@Headers('resource') iri?: string): Promise<JsonLd> {
    await this.manage.remove('resource', required(iri, 'resource'));
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: a representation' })
  @Get('representation')
  @ApiHeader({ name: 'representation', required: true })
  getRepresentation(@Headers('representation') iri?: string): Promise<JsonLd> {
    return this.selfDescription.element(required(iri, 'representation'));
  }

  @ApiOperation({ summary: 'TRUE Connector: adds a representation' })
  @Post('representation')
  @HttpCode(200)
  @ApiHeader({ name: 'resource', required: true })
  @ApiBody(jsonLdBody)
  async createRepresentation(@Headers('resource') resource: string | undefined, @Body() body: unknown): Promise<JsonLd> {
    await this.manage.writeRepresentation(required(resource, 'resource'), body, 'create');
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: replaces a representation' })
  @Put('representation')
  @ApiHeader({ name: 'resource', required: true })
  @ApiBody(jsonLdBody)
  async replaceRepresentation(@Headers('resource') resource: string | undefined, @Body() body: unknown): Promise<JsonLd> {
    await this.manage.writeRepresentation(required(resource, 'resource'), body, 'replace');
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: deletes a representation' })
  @Delete('representation')
  @ApiHeader({ name: 'representation', required: true })
  async deleteRepresentation(@Headers('representation') iri?: string): Promise<JsonLd> {
    await this.manage.remove('representation', required(iri, 'representation'));
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: a contract offer' })
  @Get('contractOffer')
  @ApiHeader({ name: 'contractOffer', required: true })
  getOffer(@Headers('contractoffer') iri?: string): Promise<JsonLd> {
    return this.selfDescription.element(required(iri, 'contractOffer'));
  }

  @ApiOperation({ summary: 'TRUE Connector: adds a contract offer' })
  @Post('contractOffer')
  @HttpCode(200)
  @ApiHeader({ name: 'resource', required: true })
  @ApiBody(jsonLdBody)
  async createOffer(@Headers('resource') resource: string | undefined, @Body() body: unknown): Promise<JsonLd> {
    await this.manage.writeOffer(required(resource, 'resource'), body, 'create');
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: replaces a contract offer' })
  @Put('contractOffer')
  @ApiHeader({ name: 'resource', required: true })
  @ApiBody(jsonLdBody)
  async replaceOffer(@Headers('resource') resource: string | undefined, @Body() body: unknown): Promise<JsonLd> {
    await this.manage.writeOffer(required(resource, 'resource'), body, 'replace');
    return this.selfDescription.describe();
  }

  @ApiOperation({ summary: 'TRUE Connector: deletes a contract offer' })
  @Delete('contractOffer')
  @ApiHeader({ name: 'contractOffer', required: true })
  async deleteOffer(@Headers('contractoffer') iri?: string): Promise<JsonLd> {
    await this.manage.remove('offer', required(iri, 'contractOffer'));
    return this.selfDescription.describe();
  }
}
