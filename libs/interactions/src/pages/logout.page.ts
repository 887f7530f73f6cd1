import { html, Html, layout } from './html';

export interface LogoutPageInput {
  instanceName: string;
  nonce: string;
  /** oidc-provider's form (`op.logoutForm`), trusted markup from the provider. */
  form: string;
  frontChannelUrls: string[];
}

/**
 * Sign-out: loads every participating app's front-channel logout URL in hidden frames, then submits
 * the provider's confirmation form by itself. Without JavaScript the user presses the button.
 */
export function logoutPage(input: LogoutPageInput): string {
  const frames = input.frontChannelUrls.map(
    (url) => html`<iframe src="${url}" title="Signing out of an application"></iframe>`,
  );
  const script =
    `(function(){var f=document.getElementById('op.logoutForm');var n=document.querySelectorAll('iframe').length;` +
    `var done=false;function go(){if(done)return;done=true;var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();}` +
    `if(!n){go();return;}var left=n;document.querySelectorAll('iframe').forEach(function(e){e.addEventListener('load',function(){if(--left===0)go();});});setTimeout(go,3000);})();`;
  return layout({
    title: 'Sign out',
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>Signing out</h1>
      ${new Html(input.form)}
      <button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
      ${frames}`,
    script,
  });
}
