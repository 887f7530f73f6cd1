import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { GatewayConfig } from '@erp-id/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Strategy } from 'passport-http-bearer';

export const ADMIN_STRATEGY = 'admin-bearer';

/** The principal an admin request runs as. */
export interface AdminPrincipal {
  kind: 'admin-token';
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Bearer tokens of the hosting provider, compared in constant time (as digests, so length leaks nothing). */
@Injectable()
export class AdminTokenStrategy extends PassportStrategy(Strategy, ADMIN_STRATEGY) {
  private readonly accepted: Buffer[];

  constructor(config: GatewayConfig) {
    super();
    this.accepted = config.adminApiToken ? [digest(config.adminApiToken)] : [];
  }

  validate(token: string): AdminPrincipal | false {
    const presented = digest(token);
    let ok = false;
    for (const accepted of this.accepted) ok = timingSafeEqual(accepted, presented) || ok;
    return ok ? { kind: 'admin-token' } : false;
  }
}
