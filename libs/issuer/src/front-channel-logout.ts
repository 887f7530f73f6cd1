import type { KoaContextWithOIDC } from 'oidc-provider';
import type { FrontChannelTarget } from './issuer-pages';

/** Client metadata key kept through `extraClientMetadata` (oidc-provider 7+ dropped front-channel logout). */
export const FRONTCHANNEL_LOGOUT_URI = 'frontchannel_logout_uri';

/**
 * Every client that took part in the session and registered a front-channel logout URI, with the
 * `iss` and `sid` parameters of OpenID Connect Front-Channel Logout.
 */
export async function frontChannelTargets(ctx: KoaContextWithOIDC): Promise<FrontChannelTarget[]> {
  const session = ctx.oidc.session;
  if (!session?.authorizations) return [];
  const targets: FrontChannelTarget[] = [];
  for (const clientId of Object.keys(session.authorizations)) {
    const client = await ctx.oidc.provider.Client.find(clientId);
    const uri = client?.metadata()[FRONTCHANNEL_LOGOUT_URI];
    if (typeof uri !== 'string') continue;
    const url = new URL(uri);
    url.searchParams.set('iss', ctx.oidc.provider.issuer);
    const sid = session.sidFor(clientId);
    if (sid) url.searchParams.set('sid', sid);
    targets.push({ clientId, url: url.href });
  }
  return targets;
}
