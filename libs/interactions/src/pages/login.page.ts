import { html, layout } from './html';

export interface LoginPageInput {
  instanceName: string;
  nonce: string;
  action: string;
  csrf: string;
  username?: string;
  error?: string;
  clientName?: string;
}

/** The sign-in form: fields `username` and `password`, one submit button, works without JavaScript. */
export function loginPage(input: LoginPageInput): string {
  const describedBy = input.error ? 'error' : undefined;
  return layout({
    title: 'Sign in',
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>Sign in</h1>
      ${input.clientName ? html`<p>to continue to ${input.clientName}</p>` : ''}
      ${input.error ? html`<p class="error" role="alert" id="error">${input.error}</p>` : ''}
      <form method="post" action="${input.action}" novalidate>
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          value="${input.username ?? ''}"
          ${describedBy ? html` aria-describedby="${describedBy}"` : ''}${input.username ? '' : html` autofocus`}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required${describedBy ? html` aria-describedby="${describedBy}"` : ''}${input.username ? html` autofocus` : ''}
        />
        <button type="submit">Sign in</button>
      </form>`,
  });
}
