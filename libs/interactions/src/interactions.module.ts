import { Global, Module } from '@nestjs/common';
import { ISSUER_PAGES } from '@erp-id/issuer';
import { InteractionController } from './interaction.controller';
import { IssuerPagesService } from './issuer-pages.service';
import { PendingSignIns } from './pending-sign-ins';
import { SignInLimit } from './sign-in-limit';

/** Sign-in, consent and sign-out pages of every instance (global: the issuer renders its pages through it). */
@Global()
@Module({
  controllers: [InteractionController],
  providers: [
    IssuerPagesService,
    PendingSignIns,
    SignInLimit,
    { provide: ISSUER_PAGES, useExisting: IssuerPagesService },
  ],
  exports: [ISSUER_PAGES],
})
export class InteractionsModule {}
