import { html, layout } from './html';

export interface MessagePageInput {
  instanceName: string;
  nonce: string;
  title: string;
  message: string;
}

/** Signed out, errors, and anything else that is just a message. */
export function messagePage(input: MessagePageInput): string {
  return layout({
    title: input.title,
    instanceName: input.instanceName,
    nonce: input.nonce,
    body: html`<h1>${input.title}</h1>
      <p>${input.message}</p>`,
  });
}
