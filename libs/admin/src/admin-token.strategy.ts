import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { GatewayConfig } from '@erp-id/config';
import { Strategy } from 'passport-http-bearer';
import { AdminTokenSet } from './admin-token-set';

export const ADMIN_STRATEGY = 'admin-bearer';

/** The principal an admin request runs as: the configured token it presented, by name. */
export interface AdminPrincipal {
  kind: 'admin-token';
  /** The token's configured name (`default` for the plain ADMIN_API_TOKEN); the audit log's actor. */
  name: string;
}

/** Bearer tokens of the hosting provider (see AdminTokenSet for how they are compared). */
@Injectable()
export class AdminTokenStrategy extends PassportStrategy(Strategy, ADMIN_STRATEGY) {
  private readonly tokens: AdminTokenSet;

  constructor(config: GatewayConfig) {
    super();
    this.tokens = new AdminTokenSet(config.adminApiTokenHashes, config.adminApiToken);
    // Development generates a token before start; production must be given at least one.
    if (config.production && this.tokens.size === 0) {
      throw new Error('NODE_ENV=production requires ADMIN_API_TOKEN_HASHES (or ADMIN_API_TOKEN)');
    }
  }

  validate(token: string): AdminPrincipal | false {
    const name = this.tokens.match(token);
    return name === null ? false : { kind: 'admin-token', name };
  }
}
