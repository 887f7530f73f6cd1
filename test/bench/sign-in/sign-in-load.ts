import { performance } from 'node:perf_hooks';
import { signInWithoutBrowser } from '../../support/headless-sign-in';
import { LoadRecorder, StepFailed } from '../../support/load-recorder';
import { type CpuUse, startCpuWindow } from '../process-cpu';
import type { IdTokenCheck } from './id-token-check';
import type { SignInTarget } from './sign-in-target';

/** A sign-in that did not end with a verified id_token: the step that broke and what happened. */
export interface SignInFailure {
  step: string;
  detail: string;
}

export interface SignInTally {
  /** Wall-clock duration of each completed sign-in (all five requests and the id_token check). */
  latenciesMs: number[];
  failures: SignInFailure[];
}

export interface SignInRun extends SignInTally {
  /** Sign-ins that ended with a verified id_token. */
  completed: number;
  /** From the first sign-in's start to the last one's end (in-flight sign-ins finish after the deadline). */
  wallSec: number;
  cpu: CpuUse;
}

export interface SignInRunSettings {
  concurrency: number;
  durationSec: number;
  /** The gateway process, for its CPU time (Linux only). */
  gatewayPid?: number;
}

/**
 * Sign-ins that keep score: each is a fresh browser (empty cookie jar) for the next user in turn,
 * and counts as completed only once its id_token has passed `checkIdToken`.
 */
export class SignIns {
  private readonly recorder = new LoadRecorder();
  private readonly otherFailures: SignInFailure[] = [];
  private readonly latenciesMs: number[] = [];
  private next = 0;

  constructor(
    private readonly target: SignInTarget,
    private readonly checkIdToken: IdTokenCheck,
  ) {}

  /** One complete sign-in; never rejects, a failure is recorded. */
  async signIn(): Promise<void> {
    const { target } = this;
    const user = target.users[this.next++ % target.users.length]!;
    const started = performance.now();
    try {
      const signedIn = await signInWithoutBrowser(this.recorder, {
        authorizationEndpoint: target.authorizationEndpoint,
        tokenEndpoint: target.tokenEndpoint,
        client: target.client,
        username: user.username,
        password: user.password,
      });
      const problem = await this.checkIdToken(signedIn, user);
      if (problem) {
        this.otherFailures.push({ step: 'id_token check', detail: problem });
        return;
      }
      this.latenciesMs.push(performance.now() - started);
    } catch (err) {
      // A failed request is already in the recorder (one per sign-in: a sign-in stops at its first).
      if (!(err instanceof StepFailed))
        this.otherFailures.push({ step: 'sign-in (unexpected error)', detail: (err as Error).message });
    }
  }

  tally(): SignInTally {
    const requestFailures = this.recorder.failures.map((f) => ({
      step: f.step,
      detail:
        `${f.method} ${f.path}: ${f.status ?? 'no answer'} (expected ${f.expected}) ${f.error ?? ''}`.trim(),
    }));
    return { latenciesMs: [...this.latenciesMs], failures: [...requestFailures, ...this.otherFailures] };
  }
}

/**
 * `concurrency` people signing in back to back for `durationSec`. A sign-in started before the
 * deadline runs to its end and counts, so every request sent is checked and the CPU window covers
 * exactly the sign-ins counted.
 */
export async function runSignIns(
  target: SignInTarget,
  checkIdToken: IdTokenCheck,
  settings: SignInRunSettings,
): Promise<SignInRun> {
  const signIns = new SignIns(target, checkIdToken);
  const cpu = startCpuWindow(settings.gatewayPid);
  const started = performance.now();
  const deadline = started + settings.durationSec * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await signIns.signIn();
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  const wallSec = (performance.now() - started) / 1000;
  const cpuUse = cpu.end();
  const tally = signIns.tally();
  return { ...tally, completed: tally.latenciesMs.length, wallSec, cpu: cpuUse };
}
