/**
 * Runs work for the same key one after another within this process. Across replicas the database
 * row lock orders key changes; this also covers the embedded database, whose single session makes
 * row locks of concurrent transactions meaningless.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // Tails never reject, so each piece of work starts once the previous one settled either way.
    const result = previous.then(() => work());
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
