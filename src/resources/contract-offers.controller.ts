import { BodyExample, EXAMPLE_ID } from '../common/http/body-example.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { IdParam } from '../common/http/id-param.decorator.js';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from './catalog.repository.js';
import { ContractOfferService } from './contract-offer.service.js';
import { ContractOfferQueryDto, ContractOfferView, CreateContractOfferDto, UpdateContractOfferDto } from './dto/contract-offer.dto.js';

@ApiTags('catalog')
@ApiBasicAuth()
@Controller('api/contract-offers')
export class ContractOffersController {
  constructor(private readonly offers: ContractOfferService) {}

  /** Offers a resource under a usage policy (infomodel JSON-LD, shape-checked). */
  @BodyExample(CreateContractOfferDto, {
    resourceId: EXAMPLE_ID,
    offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }] }] },
  })
  @Post()
  create(@Body() dto: CreateContractOfferDto): Promise<ContractOfferView> {
    return this.offers.create(dto);
  }

  @ApiOperation({ summary: 'Lists contract offers' })
  @Get()
  list(@Query() q: ContractOfferQueryDto): Promise<Page<ContractOfferView>> {
    return this.offers.list(q.resourceId, q.page, q.size);
  }

  @ApiOperation({ summary: 'One contract offer' })
  @Get(':id')
  get(@IdParam() id: string): Promise<ContractOfferView> {
    return this.offers.get(id);
  }

  @BodyExample(UpdateContractOfferDto, { offer: { 'ids:permission': [{ 'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }] }] } })
  @ApiOperation({ summary: 'Replaces the policy of a contract offer (checked to be enforceable)' })
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateContractOfferDto): Promise<ContractOfferView> {
    return this.offers.update(id, dto);
  }

  @ApiOperation({ summary: 'Withdraws a contract offer' })
  @Delete(':id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.offers.remove(id);
  }
}
