import { html, layout } from './html';

export interface RecoveryCodesPageInput {
  instanceName: string;
  nonce: string;
  action: string;
  csrf: string;
  /** Shown once, right after enrollment; empty when the page is shown again (the codes are gone). */
  codes: readonly string[];
}

/** After enrollment: the recovery codes, once, then on to the app. */
export function recoveryCodesPage(input: RecoveryCodesPageInput): string {
  return layout({
    title: 'Save your recovery codes',
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>Two-step verification is on</h1>
      ${
        input.codes.length
          ? html`<p>
                If you lose your authenticator app, each of these codes lets you sign in once. Save them
                somewhere safe now: they are not shown again.
              </p>
              <ol class="codes" aria-label="Recovery codes">
                ${input.codes.map((c) => html`<li>${c}</li>`)}
              </ol>`
          : html`<p>Your recovery codes were shown when you set up the app; they are not shown again.</p>`
      }
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <button type="submit">Continue</button>
      </form>`,
  });
}
