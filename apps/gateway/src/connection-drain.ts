import { type IncomingMessage, ServerResponse } from 'node:http';

/** Where a drain-aware response keeps what node:http decided about keep-alive. */
const KEEP_ALIVE = Symbol('keepAlive');

/**
 * Asks clients to close their keep-alive connections once a shutdown has begun, so a drain ends
 * when the last in-flight response is sent instead of waiting for idle connections to time out.
 *
 * Both listeners create their responses from {@link Response}, whose `shouldKeepAlive` (what
 * node:http reads when it writes the headers and when the response ends) turns false while the
 * drain is on. Every response whose headers are not yet written then says `Connection: close`,
 * those in flight when the drain begins included, without the drain tracking responses or adding a
 * listener to each one.
 */
export class ConnectionDrain {
  private draining = false;

  readonly Response: typeof ServerResponse;

  constructor() {
    const isDraining = (): boolean => this.draining;
    class DrainAwareResponse<
      Request extends IncomingMessage = IncomingMessage,
    > extends ServerResponse<Request> {}
    // An accessor on the prototype, not a class member: node:http's constructor assigns
    // `shouldKeepAlive`, which must reach the setter (a class field would shadow the accessor, and
    // TypeScript types the property as a plain field).
    Object.defineProperty(DrainAwareResponse.prototype, 'shouldKeepAlive', {
      get(this: { [KEEP_ALIVE]: boolean }): boolean {
        return this[KEEP_ALIVE] && !isDraining();
      },
      set(this: { [KEEP_ALIVE]: boolean }, keepAlive: boolean) {
        this[KEEP_ALIVE] = keepAlive;
      },
    });
    this.Response = DrainAwareResponse;
  }

  /** From now on every response closes its connection, including those already being served. */
  begin(): void {
    this.draining = true;
  }
}
