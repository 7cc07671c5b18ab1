import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgreementRepository } from './agreement.repository.js';

/** Provider-side agreements, read by negotiation and by the artifact request handler. */
@Module({
  providers: [{ provide: AgreementRepository, inject: [DataSource], useFactory: (ds: DataSource) => new AgreementRepository(ds.manager) }],
  exports: [AgreementRepository],
})
export class AgreementsModule {}
