import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Injectable, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DataAppPlugin, type DataApp, type DataAppRun, type ParsedConfig } from './data-app.contract.js';
import { DataAppRegistry } from './data-app.registry.js';

function app(name: string, outputs: string[] = ['out']): Type {
  @Injectable()
  @DataAppPlugin(name)
  class TestApp implements DataApp<null> {
    readonly title = name;
    readonly description = name;
    readonly outputs = outputs.map((o) => ({ name: o, title: o, description: o, keywords: [], kind: 'events' as const }));
    defaultConfig(): null {
      return null;
    }
    parseConfig(): ParsedConfig<null> {
      return { ok: true, config: null };
    }
    start(): Promise<DataAppRun> {
      return Promise.reject(new Error('not started in this spec'));
    }
  }
  return TestApp;
}

async function registry(apps: Type[]): Promise<DataAppRegistry> {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [...apps, DataAppRegistry] }).compile();
  await moduleRef.init();
  return moduleRef.get(DataAppRegistry);
}

describe('DataAppRegistry', () => {
  it('finds the apps by their decorator', async () => {
    assert.deepEqual((await registry([app('b'), app('a')])).names(), ['a', 'b']);
  });

  it('fails the boot on two apps of one name, a malformed name, or an output declared twice', async () => {
    await assert.rejects(registry([app('pumps'), app('pumps')]), /two data apps are named pumps/);
    await assert.rejects(registry([app('Pumps!')]), /must match/);
    await assert.rejects(registry([app('pumps', ['events', 'events'])]), /output name "events" is malformed or declared twice/);
  });
});
