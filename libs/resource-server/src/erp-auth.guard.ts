import {
  BadRequestException,
  type ExecutionContext,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { bearerChallenge } from './bearer-challenge';
import { ERP_BEARER_STRATEGY } from './erp-bearer.strategy';
import type { Principal } from './principal';
import { REQUIRED_SCOPES } from './require-scopes.decorator';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server-options';
import { TokenRejectedError, VerifierUnavailableError } from './token-rejection';

interface RequestLike {
  query?: unknown;
  body?: unknown;
  user?: Principal;
}

interface ResponseLike {
  setHeader?: (name: string, value: string) => unknown;
  header?: (name: string, value: string) => unknown;
}

const carriesToken = (params: unknown): boolean =>
  typeof params === 'object' && params !== null && 'access_token' in params;

/**
 * Authenticates a request by its bearer token (ErpBearerStrategy), then checks the scopes that
 * `@RequireScopes` asks for. Failures answer as RFC 6750 says, with a `WWW-Authenticate` challenge:
 * 401 without a token (no error code) or with a refused one (`invalid_token`), 403
 * `insufficient_scope`, 400 `invalid_request` for a malformed header or a token outside the header,
 * 503 when the issuer cannot be asked. Nothing it logs contains the token.
 */
@Injectable()
export class ErpAuthGuard extends AuthGuard(ERP_BEARER_STRATEGY) {
  private readonly logger = new Logger('ResourceServer');

  constructor(
    private readonly reflector: Reflector,
    @Inject(RESOURCE_SERVER_OPTIONS) private readonly options: ResolvedResourceServerOptions,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    // RFC 6750 §2.3: a token in the URL ends up in access logs and browser history; the form body
    // variant is refused too, so a token is only ever read from the Authorization header.
    if (carriesToken(request.query) || carriesToken(request.body)) {
      throw this.challenge(
        context,
        new BadRequestException({
          error: 'invalid_request',
          error_description: 'send the access token in the Authorization header',
        }),
        { error: 'invalid_request' },
      );
    }
    await super.canActivate(context);
    const principal = request.user;
    if (!principal) throw new UnauthorizedException({ error: 'invalid_token' });
    const required: string[] = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, [
      context.getClass(),
      context.getHandler(),
    ]);
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length) {
      const scope = [...new Set(required)].join(' ');
      throw this.challenge(
        context,
        new ForbiddenException({
          error: 'insufficient_scope',
          error_description: `the access token lacks the scope(s): ${missing.join(' ')}`,
        }),
        { error: 'insufficient_scope', scope },
      );
    }
    return true;
  }

  override handleRequest<T = Principal>(
    err: unknown,
    user: T | false,
    _info: unknown,
    context: ExecutionContext,
    status?: unknown,
  ): T {
    if (err instanceof TokenRejectedError) {
      this.logger.debug(`bearer token refused: ${err.description}`);
      throw this.challenge(
        context,
        new UnauthorizedException({ error: 'invalid_token', error_description: err.description }),
        { error: 'invalid_token', error_description: err.description },
      );
    }
    if (err instanceof VerifierUnavailableError) {
      this.logger.warn(`bearer token not checked: ${err.message}`);
      throw new ServiceUnavailableException({
        error: 'temporarily_unavailable',
        error_description: 'the access token cannot be checked right now; try again',
      });
    }
    if (err) {
      this.logger.error(`bearer token check failed: ${err instanceof Error ? err.message : String(err)}`);
      throw new ServiceUnavailableException({
        error: 'temporarily_unavailable',
        error_description: 'the access token cannot be checked right now; try again',
      });
    }
    if (status === 400) {
      throw this.challenge(
        context,
        new BadRequestException({
          error: 'invalid_request',
          error_description: 'malformed Authorization header',
        }),
        { error: 'invalid_request' },
      );
    }
    if (!user) {
      // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
      throw this.challenge(
        context,
        new UnauthorizedException({
          error: 'unauthorized',
          error_description: 'a bearer access token is required',
        }),
        {},
      );
    }
    return user;
  }

  private challenge(
    context: ExecutionContext,
    exception: HttpException,
    params: Record<string, string | undefined>,
  ): HttpException {
    const response = context.switchToHttp().getResponse<ResponseLike>();
    const value = bearerChallenge({ realm: this.options.realm, ...params });
    if (typeof response.setHeader === 'function') response.setHeader('WWW-Authenticate', value);
    else response.header?.('WWW-Authenticate', value);
    return exception;
  }
}
