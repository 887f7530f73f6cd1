import { Global, Module } from '@nestjs/common';
import { FactorsService } from './factors.service';
import { MfaEvents } from './mfa-events';

/** Second factors of users (global: sign-in pages, admin API and CLI use the same service). */
@Global()
@Module({
  providers: [FactorsService, MfaEvents],
  exports: [FactorsService],
})
export class MfaModule {}
