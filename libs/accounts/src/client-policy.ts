import type { InstancePolicies } from '@erp-id/policies';
import type { ClientRegistration } from './client-rules';

/**
 * A client registration that is valid OAuth but not allowed by its instance's policy (the admin
 * API answers 422, naming the field).
 */
export class ClientPolicyViolation extends Error {
  override readonly name = 'ClientPolicyViolation';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The grant and response types a client registers must be allowed by the instance's policy
 * (`allowedGrantTypes`, `allowedResponseTypes`). Front-channel response types are the implicit grant
 * to oidc-provider, so they need `implicit` allowed too.
 */
export function checkClientPolicies(
  reg: Pick<ClientRegistration, 'grantTypes'>,
  responseTypes: readonly string[],
  policies: Pick<InstancePolicies, 'allowedGrantTypes' | 'allowedResponseTypes'>,
): void {
  const grants: ReadonlySet<string> = new Set(policies.allowedGrantTypes);
  const refusedGrants = reg.grantTypes.filter((g) => !grants.has(g));
  if (refusedGrants.length) {
    throw new ClientPolicyViolation(
      'grantTypes',
      `the instance policy does not allow the grant type(s) ${refusedGrants.join(', ')}`,
    );
  }
  const responses: ReadonlySet<string> = new Set(policies.allowedResponseTypes);
  const refusedResponses = responseTypes.filter((t) => !responses.has(t));
  if (refusedResponses.length) {
    throw new ClientPolicyViolation(
      'responseTypes',
      `the instance policy does not allow the response type(s) ${refusedResponses.map((t) => `"${t}"`).join(', ')}`,
    );
  }
  if (responseTypes.some((t) => t !== 'code') && !grants.has('implicit')) {
    throw new ClientPolicyViolation(
      'responseTypes',
      'the instance policy does not allow the implicit grant that front-channel response types use',
    );
  }
}
