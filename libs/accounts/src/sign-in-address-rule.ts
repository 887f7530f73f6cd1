import { Inject, Injectable } from '@nestjs/common';
import { ANONYMOUS_ACTOR, AuditRecorder } from '@erp-id/audit';
import { addressInRanges, instancePolicies } from '@erp-id/policies';
import { COUNTER_STORE, type CounterStore } from '@erp-id/state';
import { countedAddress, UNKNOWN_ADDRESS } from './client-address';
import type { SignInInstance } from './sign-in.service';

/**
 * A refused address is audited at most once in this many seconds per instance: a browser reloading
 * the refusal page (or a script posting passwords at it) must not fill the audit log.
 */
export const ADDRESS_REFUSAL_AUDIT_SECONDS = 60;

export type SignInAddressDecision =
  | { allowed: true }
  /** `address` is the client address as the gateway saw it, canonical, for the refusal page. */
  | { allowed: false; address: string };

/** What the refused step was about, for the audit log. */
export interface SignInAddressContext {
  /** The client the interaction signs in to. */
  clientId?: string;
}

const refusalKey = (address: string): string => `signin-refused:ip:${address}`;

/**
 * The policy's allowed sign-in IP ranges (`allowedSignInIpRanges`; empty allows every address),
 * asked before every step of an interactive sign-in, so a password from outside is never checked
 * and never counts toward a lockout, and a sign-in started inside cannot be finished outside.
 */
@Injectable()
export class SignInAddressRule {
  constructor(
    @Inject(COUNTER_STORE) private readonly counters: CounterStore,
    private readonly audit: AuditRecorder,
  ) {}

  async check(
    instance: SignInInstance,
    clientIp: string,
    context: SignInAddressContext = {},
  ): Promise<SignInAddressDecision> {
    const ranges = instancePolicies(instance.policies).allowedSignInIpRanges;
    if (!ranges.length) return { allowed: true };
    // Canonical first: an IPv4 client behind a dual-stack listener arrives as ::ffff:203.0.113.7.
    // What a trusted proxy forwards may be no address at all ("unknown"): never inside a range.
    const address = countedAddress(clientIp);
    if (address !== UNKNOWN_ADDRESS && addressInRanges(address, ranges)) return { allowed: true };
    await this.recordRefusal(instance, address, context);
    return { allowed: false, address };
  }

  private async recordRefusal(
    instance: SignInInstance,
    address: string,
    { clientId }: SignInAddressContext,
  ): Promise<void> {
    const refusals = await this.counters.hit(
      instance.name,
      refusalKey(address),
      ADDRESS_REFUSAL_AUDIT_SECONDS,
    );
    if (refusals !== 1) return;
    await this.audit.record(
      {
        instanceId: instance.id,
        actor: ANONYMOUS_ACTOR,
        action: 'sign_in.address_refused',
        target: null,
        sourceAddress: address,
        details: clientId ? { clientId } : {},
      },
      'sign_in',
    );
  }
}
