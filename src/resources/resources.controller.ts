import { BodyExample } from '../common/http/body-example.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from '../common/http/id-param.decorator.js';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CreateResourceDto, ResourceQueryDto, ResourceView, UpdateResourceDto } from './dto/resource.dto.js';

@ApiTags('catalog')
@ApiBasicAuth()
@Controller('api/resources')
export class ResourcesController {
  constructor(private readonly catalog: CatalogService) {}

  @BodyExample(CreateResourceDto, {
    title: 'Pump health',
    description: 'Maintenance events of the hydraulic pumps',
    keywords: ['pump', 'vibration'],
    languages: ['EN'],
  })
  @ApiOperation({ summary: 'Creates a resource (offered data: title, description, keywords, languages)' })
  @Post()
  create(@Body() dto: CreateResourceDto): Promise<ResourceView> {
    return this.catalog.createResource(dto);
  }

  @ApiOperation({ summary: 'Lists resources' })
  @Get()
  list(@Query() q: ResourceQueryDto): Promise<Page<ResourceView>> {
    return this.catalog.listResources(q.catalogId, q.page, q.size);
  }

  @ApiOperation({ summary: 'One resource, with its IRI' })
  @Get(':id')
  get(@IdParam() id: string): Promise<ResourceView> {
    return this.catalog.getResource(id);
  }

  @BodyExample(UpdateResourceDto, { keywords: ['pump', 'vibration', 'maintenance'] })
  @ApiOperation({ summary: 'Changes a resource' })
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateResourceDto): Promise<ResourceView> {
    return this.catalog.updateResource(id, dto);
  }

  /** Deletes the resource with its representations, artifacts (and their stored bytes) and offers. */
  @Delete(':id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.catalog.removeResource(id);
  }
}
