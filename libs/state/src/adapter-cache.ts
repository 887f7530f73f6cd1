import type { Adapter } from 'oidc-provider';

/**
 * oidc-provider asks the factory once per model and keeps the result; caching here as well
 * makes repeated calls (several issuers sharing one factory) allocation-free.
 */
export function cachingAdapterFactory(create: (model: string) => Adapter): (model: string) => Adapter {
  const adapters = new Map<string, Adapter>();
  return (model) => {
    let adapter = adapters.get(model);
    if (adapter === undefined) {
      adapter = create(model);
      adapters.set(model, adapter);
    }
    return adapter;
  };
}
