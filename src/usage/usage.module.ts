import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import { TRUSTED_CAS } from '../daps/trusted-cas.token.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { trustingFetch } from '../daps/trusting.fetch.js';
import { PATTERN_CLASSES } from './patterns/all.patterns.js';
import { PatternRegistry } from './patterns/pattern.registry.js';
import { NOTIFY_ALLOWED } from './patterns/usage-notification.pattern.js';
import { PlatoonUcController } from './platoon-uc.controller.js';
import { PoliciesController } from './policies.controller.js';
import { PolicyEngine } from './policy/policy.engine.js';
import { UsageEnforcer } from './usage.enforcer.js';
import { HttpUsageNotifier, UsageNotifier } from './usage.notifier.js';
import { UsageRepository } from './usage.repository.js';

/** Usage control: the pattern evaluators, the decision engine, enforcement on both sides, TRUE's UC API. */
@Module({
  imports: [DiscoveryModule],
  controllers: [PoliciesController, PlatoonUcController],
  providers: [
    ...PATTERN_CLASSES,
    { provide: NOTIFY_ALLOWED, inject: [CONNECTOR_CONFIG], useFactory: (c: ConnectorConfig) => c.usage.notifyAllowed },
    PatternRegistry,
    { provide: PolicyEngine, inject: [PatternRegistry], useFactory: (patterns: PatternRegistry) => new PolicyEngine(patterns) },
    { provide: UsageRepository, inject: [DataSource], useFactory: (ds: DataSource) => new UsageRepository(ds.manager) },
    { provide: UsageNotifier, inject: [TRUSTED_CAS, CONNECTOR_CONFIG], useFactory: (cas: string[], c: ConnectorConfig) => new HttpUsageNotifier(trustingFetch(cas), c.ids.timeoutMs) },
    UsageEnforcer,
  ],
  exports: [UsageEnforcer, UsageRepository],
})
export class UsageModule {}
