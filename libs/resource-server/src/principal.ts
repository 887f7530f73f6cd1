/** Who a request runs as, once its bearer token was accepted. */
export interface Principal {
  /** The user's id, or the client id for a service account (client credentials). */
  subject: string;
  /**
   * The client the token was issued to (a service account's own client, or the app a user signed
   * in to); `null` for a personal access token, which a user holds without any client.
   */
  clientId: string | null;
  scopes: readonly string[];
  /** Internal users and service accounts may call instance APIs; tokens of external users are refused. */
  userKind: Exclude<UserKind, 'external'>;
  /** `jwt`: verified locally with the issuer's keys; `reference`: answered by the issuer's introspection. */
  tokenType: 'jwt' | 'reference';
  audience: readonly string[];
  /** When the token stops being accepted; `null` for a reference token without an expiry. */
  expiresAt: Date | null;
}

export type UserKind = 'internal' | 'external' | 'service';
