import { BodyExample } from '../common/http/body-example.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from '../common/http/id-param.decorator.js';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../common/dto/page-query.dto.js';
import type { Page } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { CatalogView, CreateCatalogDto, UpdateCatalogDto } from './dto/catalog.dto.js';

@ApiTags('catalog')
@ApiBasicAuth()
@Controller('api/catalogs')
export class CatalogsController {
  constructor(private readonly catalog: CatalogService) {}

  @BodyExample(CreateCatalogDto, { title: 'Pump data', description: 'Vibration and maintenance data of plant 1' })
  @ApiOperation({ summary: 'Creates a catalog' })
  @Post()
  create(@Body() dto: CreateCatalogDto): Promise<CatalogView> {
    return this.catalog.createCatalog(dto);
  }

  @ApiOperation({ summary: 'Lists catalogs' })
  @Get()
  list(@Query() q: PageQueryDto): Promise<Page<CatalogView>> {
    return this.catalog.listCatalogs(q.page, q.size);
  }

  @ApiOperation({ summary: 'One catalog' })
  @Get(':id')
  get(@IdParam() id: string): Promise<CatalogView> {
    return this.catalog.getCatalog(id);
  }

  @BodyExample(UpdateCatalogDto, { description: 'Vibration and maintenance data of plants 1 and 2' })
  @ApiOperation({ summary: 'Changes a catalog' })
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateCatalogDto): Promise<CatalogView> {
    return this.catalog.updateCatalog(id, dto);
  }

  /** Deletes the catalog with every resource in it. */
  @Delete(':id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.catalog.removeCatalog(id);
  }
}
