import { createParamDecorator, type ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { Principal } from './principal';

/** The principal of a request that passed ErpAuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    // A handler asking for a principal without the guard in front of it is a programming error.
    if (!principal)
      throw new InternalServerErrorException('CurrentPrincipal used on a route without ErpAuthGuard');
    return principal;
  },
);
