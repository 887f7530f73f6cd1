import type Provider from 'oidc-provider';

/** Injection token of the optional {@link IssuerObserver}; the issuer works the same without one. */
export const ISSUER_OBSERVER = Symbol('ISSUER_OBSERVER');

/** One finished issuer build, as the pool reports it. */
export interface IssuerBuild {
  readonly instanceName: string;
  readonly durationMs: number;
}

/**
 * Hooks for whoever watches the issuer pool (metrics). The interface lives here and the
 * implementation elsewhere, so this library depends on no observer. Implementations must not throw:
 * they run inside the pool and, through the listeners they attach, inside provider requests.
 */
export interface IssuerObserver {
  /** A provider was built; it has not served a request yet, so listeners attached now see every event. */
  providerBuilt(provider: Provider, build: IssuerBuild): void;
  /** A build failed (the pool forgets it and the next request retries). */
  buildFailed(build: IssuerBuild): void;
  /** A warm issuer left the pool: size cap, idle timeout, or a change to its instance. */
  issuerEvicted(instanceName: string): void;
}
