import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { IdsMessageHandler, type MessageHandler } from './message-handler.contract.js';

@Injectable()
export class MessageHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly logger = new Logger('IdsHandlers');

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: IdsMessageHandler.KEY })) {
      const type = this.discovery.getMetadataByDecorator(IdsMessageHandler, wrapper);
      const instance = wrapper.instance as Partial<MessageHandler> | undefined;
      if (type === undefined || typeof instance?.handle !== 'function') {
        throw new Error(`${wrapper.name} is decorated with @IdsMessageHandler but has no handle()`);
      }
      if (this.handlers.has(type)) throw new Error(`two handlers for ${type}: ${wrapper.name} and another`);
      this.handlers.set(type, instance as MessageHandler);
    }
    this.logger.log(`handling ${[...this.handlers.keys()].sort().join(', ')}`);
  }

  get(type: string): MessageHandler | undefined {
    return this.handlers.get(type);
  }
}
