import { codeField } from './code-field';
import { html, layout } from './html';

export interface SecondFactorPageInput {
  instanceName: string;
  nonce: string;
  action: string;
  csrf: string;
  error?: string;
}

/** Every sign-in after the password, for a user with a second factor. */
export function secondFactorPage(input: SecondFactorPageInput): string {
  return layout({
    title: 'Two-step verification',
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>Two-step verification</h1>
      ${input.error ? html`<p class="error" role="alert" id="error">${input.error}</p>` : ''}
      <form method="post" action="${input.action}" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        ${codeField(
          'Authentication code',
          'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
          input.error,
        )}
        <button type="submit">Verify</button>
      </form>`,
  });
}
