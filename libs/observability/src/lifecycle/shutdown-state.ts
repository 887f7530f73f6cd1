import { Injectable } from '@nestjs/common';

/**
 * Whether the process has begun shutting down. Set by the gateway on SIGTERM, before it stops
 * accepting connections, so readiness fails at once and the load balancer stops sending traffic.
 */
@Injectable()
export class ShutdownState {
  private shuttingDown = false;

  begin(): void {
    this.shuttingDown = true;
  }

  get active(): boolean {
    return this.shuttingDown;
  }
}
