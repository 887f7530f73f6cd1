import type { FetchLike } from '@erp-id/resource-server';

/**
 * A fetch that connects every host name to 127.0.0.1 while keeping the URL (and so the Host header):
 * instance hosts such as `acme.localhost` do not resolve everywhere. Development and tests only;
 * undici is loaded on demand so a production image without dev dependencies never needs it.
 */
export async function loopbackFetch(): Promise<FetchLike> {
  const { Agent, fetch } = await import('undici');
  const dispatcher = new Agent({
    connect: {
      lookup: (_hostname, options, callback) => {
        if ((options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
    },
  });
  return (input, init) =>
    fetch(input, { ...(init as Parameters<typeof fetch>[1]), dispatcher }) as unknown as Promise<Response>;
}
