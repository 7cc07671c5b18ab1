import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Area } from './setting.js';

/**
 * What the boot sequence established before Nest started, for the whole app: each area's validated settings
 * (injected by the area's token, `@Inject(dapsSettings.token)`), and the boot facts the composition root adds
 * (the clock, the identity, the trusted CAs). The only global module besides the seam binding.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Record<string, unknown>, areas: readonly Area<string, unknown>[], facts: Provider[]): DynamicModule {
    const settings: Provider[] = areas.map((area) => ({ provide: area.token, useValue: config[area.name] }));
    const providers: Provider[] = [...settings, ...facts];
    return { module: ConfigModule, providers, exports: providers.map((p) => (typeof p === 'function' ? p : p.provide)) };
  }
}
