import type { DestinationStream } from 'pino';

/** Where batches go: a destination that writes what it is given at once (a synchronous sonic-boom). */
export interface ChunkTarget {
  write(chunk: string): unknown;
  flushSync?(): void;
}

export interface BatchSettings {
  /** A batch goes out once it holds this many characters… */
  maxChars: number;
  /** …or when it is this old: a quiet process's lines are never held longer. */
  maxAgeMs: number;
}

/**
 * Gathers log lines in memory and hands them to the target in one write per batch. Under load a
 * batch of about sixty lines costs one write(2) instead of sixty; the lines stay in order, from
 * every logger that shares the destination.
 *
 * Batching here rather than with sonic-boom's own `minLength`: sonic-boom measures the UTF-8 length
 * of its whole pending buffer on every line (flattening it), which costs more per token request
 * than building the line.
 */
export class BatchedDestination implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly target: ChunkTarget,
    private readonly settings: BatchSettings,
  ) {
    // unref: pending lines must never keep the process alive; exit flushes them (see flushSync).
    this.timer = setInterval(() => this.flush(), settings.maxAgeMs).unref();
  }

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.settings.maxChars) this.flush();
  }

  /** Hands the pending lines to the target. */
  flush(): void {
    if (this.lines.length === 0) return;
    const chunk = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.target.write(chunk);
  }

  /** Writes everything pending before returning: for exit and for tests. */
  flushSync(): void {
    this.flush();
    this.target.flushSync?.();
  }

  /** Stops the timer after writing what is pending. */
  end(): void {
    clearInterval(this.timer);
    this.flushSync();
  }
}
