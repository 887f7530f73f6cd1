import { codeField } from './code-field';
import { html, layout } from './html';

export interface EnrollPageInput {
  instanceName: string;
  nonce: string;
  action: string;
  csrf: string;
  /** The secret in base32, shown for people who cannot scan the QR code. */
  secret: string;
  /** The otpauth:// URI as a QR code image (`data:` URL). */
  qrCode: string;
  error?: string;
}

/** First sign-in where a second factor is required: scan or type the secret, confirm with a code. */
export function enrollPage(input: EnrollPageInput): string {
  const grouped = input.secret.match(/.{1,4}/g)?.join(' ') ?? input.secret;
  return layout({
    title: 'Set up two-step verification',
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>Set up two-step verification</h1>
      ${input.error ? html`<p class="error" role="alert" id="error">${input.error}</p>` : ''}
      <p>Scan this QR code with an authenticator app (for example on your phone).</p>
      <img class="qr" src="${input.qrCode}" alt="QR code with your authenticator key" />
      <p>Or enter this key in the app yourself:</p>
      <p><code class="secret" id="secret" data-secret="${input.secret}">${grouped}</code></p>
      <form method="post" action="${input.action}" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        ${codeField('Code from the app', 'Enter the 6-digit code the app shows for this account.', input.error)}
        <button type="submit">Verify and continue</button>
      </form>`,
  });
}
