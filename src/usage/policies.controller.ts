import { BodyExample } from '../common/http/body-example.decorator.js';
import { Body, Controller, Get, HttpCode, Post, Query, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorError } from '../common/connector.error.js';
import type { Page } from '../common/page.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { BuildOfferDto, UsageLogQueryDto } from './dto/policy.dto.js';
import type { UsageLogEntity } from './entities/usage-log.entity.js';
import { PatternRegistry } from './patterns/pattern.registry.js';
import type { PatternParameter, UsagePattern } from './patterns/usage-pattern.contract.js';
import { buildOffer } from './policy/offer.builder.js';
import { loadTemplate } from './policy-templates.loader.js';
import { UsageEnforcer } from './usage.enforcer.js';
import { UsageRepository } from './usage.repository.js';

interface PatternView {
  name: string;
  summary: string;
  enforcement: string;
  parameters: readonly PatternParameter[];
  template: JsonLd;
}

/** The usage-policy patterns, offers built from them, and the usage log. */
@ApiTags('usage control')
@ApiBasicAuth()
@Controller('api')
export class PoliciesController implements OnApplicationBootstrap {
  /** Each pattern's template from policies/, read once at boot: a missing or broken one fails the start. */
  private readonly templates = new Map<string, JsonLd>();

  constructor(
    private readonly patterns: PatternRegistry,
    private readonly enforcer: UsageEnforcer,
    private readonly repository: UsageRepository,
  ) {}

  onApplicationBootstrap(): void {
    for (const pattern of this.patterns.all()) this.templates.set(pattern.name, loadTemplate(pattern));
  }

  private template(pattern: UsagePattern): JsonLd {
    return this.templates.get(pattern.name) ?? loadTemplate(pattern);
  }

  @ApiOperation({ summary: 'The usage patterns this connector enforces, with their parameters and where each is enforced' })
  @Get('policies/patterns')
  list(): PatternView[] {
    return this.patterns
      .all()
      .map((p) => ({ name: p.name, summary: p.summary, enforcement: p.enforcement, parameters: p.parameters, template: this.template(p) }));
  }

  /** Fills a pattern's template (or several, combined on one permission); the offer is checked to be enforceable. */
  @BodyExample(BuildOfferDto, {
    target: 'https://w3id.org/idsa/autogen/artifact/00000000-0000-4000-8000-000000000000',
    patterns: [{ pattern: 'N_TIMES_USAGE', parameters: { count: '5' } }, { pattern: 'USAGE_LOGGING' }],
  })
  @Post('policies/offers')
  @HttpCode(200)
  build(@Body() dto: BuildOfferDto): JsonLd {
    const choices = dto.patterns ?? (dto.pattern === undefined ? [] : [{ pattern: dto.pattern, parameters: dto.parameters ?? {} }]);
    if (choices.length === 0) throw ConnectorError.badInput('pattern', 'name a pattern (or several in patterns)');
    const parts = choices.map((choice, i) => {
      const pattern = this.patterns.named(choice.pattern);
      if (pattern === undefined) {
        throw ConnectorError.badInput(
          dto.patterns ? `patterns[${i}].pattern` : 'pattern',
          `unknown pattern ${choice.pattern}; known: ${this.patterns
            .all()
            .map((p) => p.name)
            .join(', ')}`,
        );
      }
      return { pattern, template: this.template(pattern), parameters: choice.parameters ?? {} };
    });
    const { offer, problems } = buildOffer(dto.target, parts);
    if (offer === undefined) throw ConnectorError.badInput('parameters', problems.join('; '));
    const unenforceable = this.enforcer.problems(offer);
    if (unenforceable.length > 0) throw ConnectorError.badInput('parameters', unenforceable.join('; '));
    return offer;
  }

  /** Every usage decision on this connector, permitted or denied, with its reasons. */
  @Get('usage/log')
  async log(@Query() q: UsageLogQueryDto): Promise<Page<UsageLogEntity>> {
    const [items, total] = await this.repository.listLog(q.agreement, q.page, q.size);
    return { items, page: q.page, size: q.size, total };
  }
}
