import type { RequestInit } from 'undici';
import { loopbackFetch } from './loopback-fetch';

const REQUEST_TIMEOUT_MS = 10_000;

export interface FailedRequest {
  step: string;
  method: string;
  path: string;
  expected: number;
  status?: number;
  error?: string;
  /** Milliseconds since the recorder was created, to place the failure on the restart timeline. */
  atMs: number;
}

export interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
  text: string;
}

/**
 * What an unexpected answer said, short: a page's visible text (its message, not its markup), a
 * JSON error as it is, either cut to one log line.
 */
function answerGist(text: string, max = 200): string {
  const visible = /^\s*</.test(text)
    ? text.replace(/<(head|style|script)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')
    : text;
  return visible.replace(/\s+/g, ' ').trim().slice(0, max);
}

/** Thrown to end one operation (a sign-in cannot go on after a failed step); already recorded. */
export class StepFailed extends Error {}

/**
 * Sends every request of a load run and keeps the score: how many were sent, and each one that did
 * not get the expected status (or whose answer failed its check), with when it happened.
 */
export class LoadRecorder {
  private readonly startedAt = Date.now();
  requests = 0;
  readonly failures: FailedRequest[] = [];
  readonly byStep = new Map<string, number>();

  /**
   * One request without following redirects (a 303 is an answer to check, not to follow). `check`
   * inspects the answer and returns what is wrong with it, if anything.
   */
  async send(
    step: string,
    url: URL,
    expected: number,
    init: RequestInit = {},
    check?: (answer: Answer) => string | undefined,
  ): Promise<Answer> {
    this.requests++;
    this.byStep.set(step, (this.byStep.get(step) ?? 0) + 1);
    const failure = (details: { status?: number; error?: string }): StepFailed => {
      this.failures.push({
        step,
        method: init.method ?? 'GET',
        path: url.pathname,
        expected,
        atMs: Date.now() - this.startedAt,
        ...details,
      });
      return new StepFailed(`${step}: ${details.error ?? details.status}`);
    };
    let answer: Answer;
    try {
      const res = await loopbackFetch(url, {
        ...init,
        redirect: 'manual',
        // A request a replica never answers is a failure too, not a stalled worker.
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      answer = {
        status: res.status,
        location: res.headers.get('location'),
        setCookies: res.headers.getSetCookie(),
        text: await res.text(),
      };
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      throw failure({ error: `${(err as Error).message}${cause ? ` (${cause.message})` : ''}` });
    }
    if (answer.status !== expected) {
      throw failure({ status: answer.status, error: answerGist(answer.text) });
    }
    const problem = check?.(answer);
    if (problem) throw failure({ status: answer.status, error: problem });
    return answer;
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }
}
