import type Provider from 'oidc-provider';

/** What oidc-provider tells the sign-in pages about the interaction in progress. */
export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;
