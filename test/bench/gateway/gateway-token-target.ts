import type { GatewayProcess } from '../../support/gateway-process';
import type { TokenTarget } from '../token-target';
import { createClientCredentialsClient, createInstance } from './provisioning';

/** Token endpoint of one instance: connect to the loopback port, name the instance in Host. */
export function gatewayTokenTarget(
  gw: GatewayProcess,
  instance: string,
  clientId: string,
  clientSecret: string,
  label = 'gateway',
): TokenTarget {
  const origin = gw.origin(instance);
  return {
    label,
    url: `http://127.0.0.1:${gw.port}/id/connect/token`,
    host: new URL(origin).host,
    clientId,
    clientSecret,
    audience: `${origin}/api/domain`,
  };
}

/** Creates the instance and client a load phase talks to. */
export async function provisionLoadTarget(
  gw: GatewayProcess,
  instance: string,
  options: { label?: string; policies?: Record<string, unknown> } = {},
): Promise<TokenTarget> {
  await createInstance(gw, instance, options.policies);
  const clientId = `${instance}-service`;
  const secret = await createClientCredentialsClient(gw, instance, clientId);
  return gatewayTokenTarget(gw, instance, clientId, secret, options.label);
}
