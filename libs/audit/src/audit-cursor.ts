/** Where a page ended: the last event's time and id (the order is occurred_at desc, id desc). */
export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to callers: base64url of `<ISO time>|<id>`. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.occurredAt.toISOString()}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this gateway made. */
export function decodeAuditCursor(text: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const [time, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length || !time || !id || !ISO_MILLIS.test(time) || !UUID.test(id)) return null;
  const occurredAt = new Date(time);
  return Number.isNaN(+occurredAt) ? null : { occurredAt, id };
}
