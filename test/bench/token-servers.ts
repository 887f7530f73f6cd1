import { BareProviderProcess } from './bare-provider/bare-provider-process';
import type { GatewayProcess } from '../support/gateway-process';
import { gatewayTokenTarget } from './gateway/gateway-token-target';
import type { ServerSource } from './load-comparison';
import { assertIssuesExpectedToken } from './token-check';
import type { TokenTarget } from './token-target';

export function bareTarget(bare: BareProviderProcess): TokenTarget {
  return {
    label: 'baseline',
    url: bare.tokenUrl,
    clientId: bare.client.clientId,
    clientSecret: bare.client.clientSecret,
    audience: bare.audience,
    serverPid: bare.pid,
  };
}

/**
 * A bare provider launched for each run. `onLaunch` hands the running one to the caller, which
 * stops it if the benchmark is interrupted and shows its log if the run fails.
 */
export function freshBareProviders(
  nodeArgs: readonly string[],
  onLaunch: (bare: BareProviderProcess) => void,
): ServerSource {
  return async () => {
    const bare = await BareProviderProcess.start(nodeArgs);
    onLaunch(bare);
    const target = bareTarget(bare);
    await assertIssuesExpectedToken(target);
    return { target, fresh: true, stop: () => bare.stop() };
  };
}

/**
 * A gateway replica launched for each run, serving `served` (an instance provisioned through
 * another gateway of the same deployment) from the shared Postgres and Redis: the lazy issuer build
 * happens during the run's warm-up.
 */
export function freshGatewayReplicas(
  startReplica: () => Promise<GatewayProcess>,
  instance: string,
  served: TokenTarget,
): ServerSource {
  return async () => {
    const replica = await startReplica();
    const target = {
      ...gatewayTokenTarget(replica, instance, served.clientId, served.clientSecret, served.label),
      serverPid: replica.pid,
    };
    await assertIssuesExpectedToken(target);
    return { target, fresh: true, stop: () => replica.dispose() };
  };
}
