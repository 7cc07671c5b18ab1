import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClearingHouseModule } from '../clearing-house/clearing-house.module.js';
import { ResourcesModule } from '../resources/resources.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { AgreementRepository } from './agreement.repository.js';
import { ArtifactRequestHandler } from './artifact-request.handler.js';
import { ContractAgreementHandler } from './contract-agreement.handler.js';
import { ContractRequestHandler } from './contract-request.handler.js';
import { AgreementEntity } from './entities/agreement.entity.js';
import { NegotiationService } from './negotiation.service.js';

/** The provider side of agreements: negotiation, confirmation, and artifacts served under an agreement. */
@Module({
  imports: [TypeOrmModule.forFeature([AgreementEntity]), ResourcesModule, UsageModule, ClearingHouseModule],
  providers: [
    { provide: AgreementRepository, inject: [DataSource], useFactory: (ds: DataSource) => new AgreementRepository(ds.manager) },
    NegotiationService,
    ContractRequestHandler,
    ContractAgreementHandler,
    ArtifactRequestHandler,
  ],
  exports: [AgreementRepository],
})
export class ContractsModule {}
