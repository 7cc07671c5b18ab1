import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClearingHouseModule } from '../clearing-house/clearing-house.module.js';
import { idsSettings, type IdsSettings } from '../ids/ids.settings.js';
import { TRUSTED_CAS } from '../ids/seams/identity.seam.js';
import { trustingFetch } from '../identity/trusting.fetch.js';
import { UsageAgreementEntity } from './entities/usage-agreement.entity.js';
import { UsageCounterEntity } from './entities/usage-counter.entity.js';
import { UsageLogEntity } from './entities/usage-log.entity.js';
import { PATTERN_CLASSES } from './patterns/all.patterns.js';
import { PatternRegistry } from './patterns/pattern.registry.js';
import { NOTIFY_ALLOWED } from './patterns/usage-notification.pattern.js';
import { PoliciesController } from './policies.controller.js';
import { PolicyEngine } from './policy/policy.engine.js';
import { UsageEnforcer } from './usage.enforcer.js';
import { HttpUsageNotifier, UsageNotifier } from './usage.notifier.js';
import { UsageRepository } from './usage.repository.js';
import { UseCounters } from './use.counters.js';
import { usageSettings, type UsageSettings } from './usage.settings.js';

/** Usage control: the pattern evaluators, the decision engine, and the enforcement point both sides call. */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([UsageCounterEntity, UsageLogEntity, UsageAgreementEntity]), ClearingHouseModule],
  controllers: [PoliciesController],
  providers: [
    ...PATTERN_CLASSES,
    { provide: NOTIFY_ALLOWED, inject: [usageSettings.token], useFactory: (u: UsageSettings) => u.notifyAllowed },
    PatternRegistry,
    { provide: PolicyEngine, inject: [PatternRegistry], useFactory: (patterns: PatternRegistry) => new PolicyEngine(patterns) },
    { provide: UsageRepository, inject: [DataSource], useFactory: (ds: DataSource) => new UsageRepository(ds.manager) },
    {
      // SQLite's file is this process's alone (sqlite.driver.ts): its counts are kept in memory.
      provide: UseCounters,
      inject: [DataSource, UsageRepository],
      useFactory: (ds: DataSource, repository: UsageRepository) =>
        new UseCounters(ds.options.type === 'sqlite', (key) => repository.uses(key)),
    },
    {
      provide: UsageNotifier,
      inject: [TRUSTED_CAS, idsSettings.token],
      useFactory: (cas: string[], ids: IdsSettings) => new HttpUsageNotifier(trustingFetch(cas), ids.timeoutMs),
    },
    UsageEnforcer,
  ],
  exports: [UsageEnforcer, UsageRepository, PatternRegistry],
})
export class UsageModule {}
