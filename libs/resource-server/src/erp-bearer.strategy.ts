import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AccessTokenVerifier } from './access-token-verifier';
import type { Principal } from './principal';

/** The passport name of the strategy; one ERP API process serves one API of one instance. */
export const ERP_BEARER_STRATEGY = 'erp-bearer';

/**
 * Bearer tokens of the instance's identity server. A refused token surfaces as the verifier's error,
 * which ErpAuthGuard turns into the RFC 6750 answer.
 */
@Injectable()
export class ErpBearerStrategy extends PassportStrategy(Strategy, ERP_BEARER_STRATEGY) {
  constructor(private readonly verifier: AccessTokenVerifier) {
    super();
  }

  validate(token: string): Promise<Principal> {
    return this.verifier.verify(token);
  }
}
