import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/http/access.decorators.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { SelfDescriptionService } from './self-description.service.js';

/** The connector's public self-description (`ids:BaseConnector` JSON-LD), as TRUE Connector serves it at `/`. */
@ApiTags('self-description')
@Controller()
export class SelfDescriptionController {
  constructor(private readonly selfDescription: SelfDescriptionService) {}

  @ApiOperation({ summary: 'The self-description (ids:BaseConnector with its catalogs), public' })
  @Public()
  @Get()
  @Header('Content-Type', 'application/ld+json')
  @ApiOkResponse({ description: 'ids:BaseConnector JSON-LD' })
  describe(): Promise<JsonLd> {
    return this.selfDescription.describe();
  }
}
