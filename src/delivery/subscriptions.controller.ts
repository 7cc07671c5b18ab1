import { BodyExample } from '../common/http/body-example.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBasicAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.decorator.js';
import type { Page } from '../common/page.js';
import { ConsumerSubscriptionService } from './consumer-subscription.service.js';
import { ConsumerSubscribeDto, CreateWebhookDto, NotificationPageDto, SubscriptionPageDto } from './dto/subscription.dto.js';
import type { DeliveryEntity } from './entities/delivery.entity.js';
import type { ReceivedNotificationEntity } from './entities/received-notification.entity.js';
import { SubscriptionService, type SubscriptionView } from './subscription.service.js';

/**
 * Provider side: who is told of changes of this connector's resources (other connectors' IDS subscriptions, local
 * webhooks, the NGSI-LD broker), what waits for them, and the admin's say over them.
 */
@ApiTags('subscriptions')
@ApiBasicAuth()
@Controller('api/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionService) {}

  @Get()
  @ApiOperation({ summary: 'Every provider-side subscription (IDS, webhook, NGSI-LD) with its state, counters and pending deliveries' })
  list(@Query() q: SubscriptionPageDto): Promise<Page<SubscriptionView>> {
    return this.subscriptions.list('provider', q.page, q.size);
  }

  @BodyExample(CreateWebhookDto, {
    target: 'https://w3id.org/idsa/autogen/artifact/00000000-0000-4000-8000-000000000000',
    location: 'http://127.0.0.1:9000/updates',
    pushData: false,
  })
  @Post()
  @ApiOperation({ summary: 'A webhook: POSTs each change of a resource, representation or artifact of this catalog to a local URL' })
  @ApiBadRequestResponse({ description: 'a field is missing or wrong (the message names it)' })
  @ApiNotFoundResponse({ description: 'the target is not in this catalog' })
  async create(@Body() dto: CreateWebhookDto): Promise<SubscriptionView> {
    const row = await this.subscriptions.createWebhook({
      target: dto.target,
      location: dto.location,
      subscriber: dto.subscriber ?? null,
      pushData: dto.pushData ?? false,
      title: dto.title ?? null,
      description: dto.description ?? null,
    });
    return this.subscriptions.view(row);
  }

  @ApiOperation({ summary: 'One subscription at this provider, with its counters' })
  @Get(':id')
  async get(@IdParam() id: string): Promise<SubscriptionView> {
    return this.subscriptions.view(await this.subscriptions.get(id, 'provider'));
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'Deliveries of one subscription, newest first: pending, delivered, denied (by the policy, with why) or dropped',
  })
  deliveries(@IdParam() id: string, @Query() q: SubscriptionPageDto): Promise<Page<DeliveryEntity>> {
    return this.subscriptions.deliveries(id, q.page, q.size);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resumes a suspended subscription: what waited for it is delivered, in order' })
  async resume(@IdParam() id: string): Promise<SubscriptionView> {
    return this.subscriptions.view(await this.subscriptions.resume(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revokes a subscription (also another connector’s): nothing more is delivered to it' })
  async revoke(@IdParam() id: string): Promise<void> {
    await this.subscriptions.end(await this.subscriptions.get(id, 'provider'));
  }
}

/** Consumer side: this connector's subscriptions at providers, and the notifications they sent. */
@ApiTags('consumer')
@ApiBasicAuth()
@Controller('api/consumer')
export class ConsumerSubscriptionsController {
  constructor(
    private readonly consumer: ConsumerSubscriptionService,
    private readonly subscriptions: SubscriptionService,
  ) {}

  @BodyExample(ConsumerSubscribeDto, {
    recipient: 'https://localhost:8443/data',
    target: 'https://w3id.org/idsa/autogen/artifact/00000000-0000-4000-8000-000000000000',
    pushData: false,
  })
  @Post('subscriptions')
  @ApiOperation({ summary: 'Subscribes at a provider (an ids:RequestMessage with the subscription, as the Dataspace Connector sends it)' })
  @ApiBadRequestResponse({ description: 'a field is missing or wrong; or the provider refused (its reason is in the message)' })
  async subscribe(@Body() dto: ConsumerSubscribeDto): Promise<SubscriptionView> {
    return this.subscriptions.view(await this.consumer.subscribe(dto));
  }

  @ApiOperation({ summary: 'Our subscriptions at providers' })
  @Get('subscriptions')
  list(@Query() q: SubscriptionPageDto): Promise<Page<SubscriptionView>> {
    return this.consumer.list(q.page, q.size);
  }

  @ApiOperation({ summary: 'One of our subscriptions at a provider' })
  @Get('subscriptions/:id')
  async get(@IdParam() id: string): Promise<SubscriptionView> {
    return this.subscriptions.view(await this.subscriptions.get(id, 'consumer'));
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribes at the provider (an ids:RequestMessage with ids:target only) and forgets the subscription' })
  async unsubscribe(@IdParam() id: string): Promise<void> {
    await this.consumer.unsubscribe(id);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'Notifications received (oldest first); pushed data is a received artifact (`receivedArtifactId`)' })
  notifications(@Query() q: NotificationPageDto): Promise<Page<ReceivedNotificationEntity>> {
    return this.consumer.notifications(q.page, q.size, q.subscription);
  }
}
