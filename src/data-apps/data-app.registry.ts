import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DATA_APP_NAME, DataAppPlugin, type DataApp } from './data-app.contract.js';

/** The data apps by name: found by `@DataAppPlugin(name)`; a duplicate or malformed name fails the boot. */
@Injectable()
export class DataAppRegistry implements OnModuleInit {
  private readonly apps = new Map<string, DataApp>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: DataAppPlugin.KEY })) {
      const name = this.discovery.getMetadataByDecorator(DataAppPlugin, wrapper);
      const app = wrapper.instance as Partial<DataApp> | undefined;
      if (name === undefined || typeof app?.start !== 'function' || typeof app.parseConfig !== 'function') {
        throw new Error(`${wrapper.name} is decorated with @DataAppPlugin but is no DataApp`);
      }
      if (!DATA_APP_NAME.test(name)) throw new Error(`data app name "${name}" (${wrapper.name}) must match ${DATA_APP_NAME.source}`);
      if (this.apps.has(name)) throw new Error(`two data apps are named ${name}: ${wrapper.name} and another`);
      const outputs = new Set<string>();
      for (const output of app.outputs ?? []) {
        if (!DATA_APP_NAME.test(output.name) || outputs.has(output.name)) {
          throw new Error(`data app ${name}: output name "${output.name}" is malformed or declared twice`);
        }
        outputs.add(output.name);
      }
      this.apps.set(name, app as DataApp);
    }
  }

  names(): string[] {
    return [...this.apps.keys()].sort();
  }

  get(name: string): DataApp | undefined {
    return this.apps.get(name);
  }
}
