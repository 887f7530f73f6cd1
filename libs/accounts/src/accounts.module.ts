import { Global, Module } from '@nestjs/common';
import { AccountLockout } from './account-lockout';
import { ClientsService } from './clients.service';
import { ServiceAccountsService } from './service-accounts.service';
import { SignInService } from './sign-in.service';
import { USER_LOOKUP } from './user-lookup';
import { UsersService } from './users.service';

@Global()
@Module({
  providers: [
    ClientsService,
    ServiceAccountsService,
    UsersService,
    AccountLockout,
    SignInService,
    // Sign-in finds accounts through an interface so its lockout rules can be tested alone.
    { provide: USER_LOOKUP, useExisting: UsersService },
  ],
  exports: [ClientsService, ServiceAccountsService, UsersService, SignInService],
})
export class AccountsModule {}
