import { Injectable } from '@nestjs/common';
import type { IssuerPages, LogoutPageInput } from '@erp-id/issuer';
import { tenantOf } from '@erp-id/tenancy';
import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import { pageSecurity } from './page-headers';
import { logoutPage } from './pages/logout.page';
import { messagePage } from './pages/message.page';

function instanceName(ctx: KoaContextWithOIDC): string {
  const tenant = tenantOf(ctx.req);
  return tenant?.instance.displayName ?? tenant?.instance.name ?? 'Identity';
}

/** Pages rendered from inside the issuer: the sign-out page, "signed out", and error pages. */
@Injectable()
export class IssuerPagesService implements IssuerPages {
  logout(ctx: KoaContextWithOIDC, input: LogoutPageInput): void {
    const security = pageSecurity(input.frontChannel.map((t) => new URL(t.url).origin));
    ctx.set(security.headers);
    ctx.body = logoutPage({
      instanceName: instanceName(ctx),
      nonce: security.nonce,
      form: input.form,
      frontChannelUrls: input.frontChannel.map((t) => t.url),
    });
  }

  loggedOut(ctx: KoaContextWithOIDC): void {
    const security = pageSecurity();
    ctx.set(security.headers);
    ctx.body = messagePage({
      instanceName: instanceName(ctx),
      nonce: security.nonce,
      title: 'Signed out',
      message: 'You have been signed out. You can close this window.',
    });
  }

  error(ctx: KoaContextWithOIDC, out: ErrorOut, _error: Error): void {
    const security = pageSecurity();
    ctx.set(security.headers);
    ctx.body = messagePage({
      instanceName: instanceName(ctx),
      nonce: security.nonce,
      title: 'Sign-in could not continue',
      message: [out.error, out.error_description].filter(Boolean).join(': '),
    });
  }
}
