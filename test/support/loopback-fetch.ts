import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

/**
 * Instance hosts like `acme.localhost` do not resolve on every machine; this agent sends every
 * request to the loopback address while keeping the URL (and so the Host header) as written.
 */
export const loopbackAgent = new Agent({
  connect: {
    lookup: (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    },
  },
  keepAliveTimeout: 1_000,
});

export function loopbackFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return undiciFetch(url, { ...init, dispatcher: loopbackAgent });
}

/** For libraries that take a WHATWG `fetch` (openid-client's customFetch). */
export const loopbackCustomFetch = (url: string, options: RequestInit): Promise<Response> =>
  loopbackFetch(url, options);
