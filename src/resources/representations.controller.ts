import { BodyExample, EXAMPLE_ID } from '../common/http/body-example.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from '../common/http/id-param.decorator.js';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CreateRepresentationDto, RepresentationQueryDto, RepresentationView, UpdateRepresentationDto } from './dto/representation.dto.js';

@ApiTags('catalog')
@ApiBasicAuth()
@Controller('api/representations')
export class RepresentationsController {
  constructor(private readonly catalog: CatalogService) {}

  @BodyExample(CreateRepresentationDto, { resourceId: EXAMPLE_ID, mediaType: 'application/json' })
  @ApiOperation({ summary: 'Adds a representation (media type) to a resource' })
  @Post()
  create(@Body() dto: CreateRepresentationDto): Promise<RepresentationView> {
    return this.catalog.createRepresentation(dto);
  }

  @ApiOperation({ summary: 'Lists representations' })
  @Get()
  list(@Query() q: RepresentationQueryDto): Promise<Page<RepresentationView>> {
    return this.catalog.listRepresentations(q.resourceId, q.page, q.size);
  }

  @ApiOperation({ summary: 'One representation' })
  @Get(':id')
  get(@IdParam() id: string): Promise<RepresentationView> {
    return this.catalog.getRepresentation(id);
  }

  @BodyExample(UpdateRepresentationDto, { mediaType: 'text/csv' })
  @ApiOperation({ summary: 'Changes a representation' })
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateRepresentationDto): Promise<RepresentationView> {
    return this.catalog.updateRepresentation(id, dto);
  }

  @ApiOperation({ summary: 'Deletes a representation and its artifacts' })
  @Delete(':id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.catalog.removeRepresentation(id);
  }
}
