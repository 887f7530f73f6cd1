import { html, layout } from './html';

export interface ConsentPageInput {
  instanceName: string;
  nonce: string;
  action: string;
  abortAction: string;
  csrf: string;
  clientName: string;
  scopes: string[];
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'Your name and username',
  email: 'Your email address',
  offline_access: 'Stay signed in to the app while you are away',
  read: 'Read data of this instance',
  update: 'Change data of this instance',
};

/** Asked only for clients registered with `requireConsent`; first-party apps skip it. */
export function consentPage(input: ConsentPageInput): string {
  return layout({
    title: 'Allow access',
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>Allow ${input.clientName}?</h1>
      <p>${input.clientName} asks to:</p>
      <ul>
        ${input.scopes.map((s) => html`<li>${SCOPE_TEXT[s] ?? s}</li>`)}
      </ul>
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <button type="submit">Allow</button>
      </form>
      <form method="post" action="${input.abortAction}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <button type="submit" class="secondary">Deny</button>
      </form>`,
  });
}
