import { ACR_MFA, policyRequiresSecondFactor, secondFactorRequested } from '@erp-id/mfa';
import type { InstancePolicies } from '@erp-id/policies';
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { accountOf } from './accounts';

/**
 * The login prompt, plus one check: a session signed in without a second factor does not satisfy
 * a request that needs one, either because the client asked (`acr_values` naming the MFA class)
 * or because the policy now requires one for this user (it may have changed since the session
 * began). Such a request goes through sign-in again, which asks for the second factor.
 */
export function interactionPolicyWithSecondFactor(
  policies: Pick<InstancePolicies, 'mfa'>,
): ReturnType<typeof interactionPolicy.base> {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'second_factor',
      'a second authentication factor is required',
      'login_required',
      (ctx: KoaContextWithOIDC) => {
        const { oidc } = ctx;
        // A sign-in that just finished decided for itself; never send it round again.
        if (!oidc.session?.accountId || oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        if (oidc.session.acr === ACR_MFA) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const account = accountOf(ctx);
        const needed =
          secondFactorRequested(oidc.params?.acr_values) ||
          (account !== undefined && policyRequiresSecondFactor(policies, account.kind));
        return needed ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
      },
    ),
  );
  return policy;
}
