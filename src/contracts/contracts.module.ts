import { Module } from '@nestjs/common';
import { ResourcesModule } from '../resources/resources.module.js';
import { AgreementsModule } from './agreements.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { ContractAgreementHandler } from './contract-agreement.handler.js';
import { ContractRequestHandler } from './contract-request.handler.js';
import { NegotiationService } from './negotiation.service.js';

/** Provider-side negotiation: the contract request and agreement handlers. */
@Module({
  imports: [ResourcesModule, AgreementsModule, UsageModule],
  providers: [NegotiationService, ContractRequestHandler, ContractAgreementHandler],
})
export class ContractsModule {}
