// Nest colours its log; escape codes only make the JSON summary and the error report unreadable.
const ANSI_ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export const plainText = (text: string): string => text.replace(ANSI_ESCAPES, '');

/** The end of a server log: where the reason for a failure usually is. */
export function logTail(text: string, chars = 3000): string {
  const plain = plainText(text);
  return plain.length > chars ? `…${plain.slice(-chars)}` : plain;
}
