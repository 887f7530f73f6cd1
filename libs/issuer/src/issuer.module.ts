import { Global, Module } from '@nestjs/common';
import { IssuerPool } from './issuer-pool';
import { IssuerRequestHandler } from './issuer-request-handler';
import { ProviderFactory } from './provider-factory';

@Global()
@Module({
  providers: [ProviderFactory, IssuerPool, IssuerRequestHandler],
  exports: [ProviderFactory, IssuerPool, IssuerRequestHandler],
})
export class IssuerModule {}
