import { Module, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';

type ModuleLike = Type | DynamicModule | ForwardReference;

/**
 * Binds the seams the protocol core declares (TokenProvider, TokenVerifier, TransactionRecorder) to the modules
 * that implement them, once, for the whole app: the composition root passes them in, so `ids/` never imports
 * their code. The one global binding besides ConfigModule; every other module imports what it uses.
 */
@Module({})
export class IdsSeamsModule {
  static bind(implementations: ModuleLike[]): DynamicModule {
    return { module: IdsSeamsModule, global: true, imports: implementations, exports: implementations };
  }
}
