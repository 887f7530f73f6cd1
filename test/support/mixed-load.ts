import { basicAuth, type ConfidentialClient, signInWithoutBrowser } from './headless-sign-in';
import { type Answer, LoadRecorder, StepFailed } from './load-recorder';

export interface LoadTarget {
  issuer: string;
  discoveryUrl: string;
  jwksUri: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  /** A client_credentials client. */
  machine: { clientId: string; clientSecret: string };
  /** A confidential code-flow client and the user who signs in to it. */
  portal: ConfidentialClient;
  username: string;
  password: string;
}

type Operation = 'discovery' | 'jwks' | 'client credentials' | 'sign-in';

// One round of the mix: mostly cheap reads, as relying parties and APIs cache little, plus token
// requests and full sign-ins (five requests each, one argon2 password check).
const ROUND: readonly Operation[] = [
  'discovery',
  'jwks',
  'client credentials',
  'discovery',
  'sign-in',
  'jwks',
  'client credentials',
  'discovery',
  'jwks',
  'client credentials',
];

function parsed(answer: Answer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function run(operation: Operation, target: LoadTarget, recorder: LoadRecorder): Promise<void> {
  switch (operation) {
    case 'discovery':
      await recorder.send('discovery', new URL(target.discoveryUrl), 200, {}, (a) =>
        parsed(a)?.issuer === target.issuer ? undefined : `issuer is ${String(parsed(a)?.issuer)}`,
      );
      return;
    case 'jwks':
      await recorder.send('jwks', new URL(target.jwksUri), 200, {}, (a) =>
        Array.isArray(parsed(a)?.keys) && (parsed(a)!.keys as unknown[]).length > 0 ? undefined : 'no keys',
      );
      return;
    case 'client credentials':
      await recorder.send(
        'client credentials',
        new URL(target.tokenEndpoint),
        200,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basicAuth(target.machine.clientId, target.machine.clientSecret),
          },
          body: 'grant_type=client_credentials&scope=update',
        },
        (a) => (typeof parsed(a)?.access_token === 'string' ? undefined : 'no access token'),
      );
      return;
    case 'sign-in':
      await signInWithoutBrowser(recorder, {
        authorizationEndpoint: target.authorizationEndpoint,
        tokenEndpoint: target.tokenEndpoint,
        client: target.portal,
        username: target.username,
        password: target.password,
      });
  }
}

/**
 * Runs the mix with `concurrency` workers until `done()` says so; each worker finishes the operation
 * it is in (a sign-in to its end), so every request started is counted and checked.
 */
export async function runMixedLoad(
  target: LoadTarget,
  recorder: LoadRecorder,
  options: { concurrency: number; done: () => boolean },
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!options.done()) {
      const operation = ROUND[next++ % ROUND.length]!;
      try {
        await run(operation, target, recorder);
      } catch (err) {
        // A failed step is already recorded; anything else is a bug in the test itself.
        if (!(err instanceof StepFailed)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}
