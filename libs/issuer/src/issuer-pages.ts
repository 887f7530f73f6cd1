import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';

/** A client taking part in the session being ended, for front-channel logout. */
export interface FrontChannelTarget {
  clientId: string;
  /** `frontchannel_logout_uri` with `iss` and `sid` added. */
  url: string;
}

export interface LogoutPageInput {
  /** oidc-provider's confirmation form (id `op.logoutForm`), to be submitted by the page. */
  form: string;
  /** Front-channel logout iframes to load before the form is submitted. */
  frontChannel: FrontChannelTarget[];
}

/**
 * Pages the issuer renders from inside oidc-provider (sign-out and its errors). Defined here and
 * implemented by the sign-in pages library, so the issuer does not depend on its templates.
 */
export interface IssuerPages {
  logout(ctx: KoaContextWithOIDC, input: LogoutPageInput): void;
  loggedOut(ctx: KoaContextWithOIDC): void;
  error(ctx: KoaContextWithOIDC, out: ErrorOut, error: Error): void;
}

export const ISSUER_PAGES = Symbol('ISSUER_PAGES');
