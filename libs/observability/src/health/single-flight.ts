/**
 * Callers that arrive while a call is running share it instead of starting another. A probe against
 * a dependency that hangs times out, but the call itself may go on for a while: without this every
 * probe would queue one more.
 */
export function singleFlight<T>(call: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= Promise.resolve()
      .then(call)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
