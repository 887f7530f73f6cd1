import { Global, Module } from '@nestjs/common';
import { AccountLockout } from './account-lockout';
import { ClientsService } from './clients.service';
import { ReferenceTokenUsage } from './reference-token-usage';
import { ReferenceTokensService } from './reference-tokens.service';
import { ServiceAccountsService } from './service-accounts.service';
import { SignInAddressRule } from './sign-in-address-rule';
import { SignInService } from './sign-in.service';
import { USER_LOOKUP } from './user-lookup';
import { UsersService } from './users.service';

@Global()
@Module({
  providers: [
    ClientsService,
    ServiceAccountsService,
    ReferenceTokensService,
    ReferenceTokenUsage,
    UsersService,
    AccountLockout,
    SignInService,
    SignInAddressRule,
    // Sign-in finds accounts through an interface so its lockout rules can be tested alone.
    { provide: USER_LOOKUP, useExisting: UsersService },
  ],
  exports: [
    ClientsService,
    ServiceAccountsService,
    ReferenceTokensService,
    UsersService,
    SignInService,
    SignInAddressRule,
  ],
})
export class AccountsModule {}
