import { html, type Html } from './html';

/** The one-time code input shared by enrollment and verification; the error, when there is one, describes it. */
export function codeField(label: string, hint: string, error: string | undefined): Html {
  const describedBy = error ? 'code-hint error' : 'code-hint';
  return html`<label for="code">${label}</label>
    <input
      id="code"
      name="code"
      type="text"
      inputmode="text"
      autocomplete="one-time-code"
      autocapitalize="none"
      spellcheck="false"
      maxlength="40"
      required
      autofocus
      aria-describedby="${describedBy}"
    />
    <p class="hint" id="code-hint">${hint}</p>`;
}
