interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/**
 * Just enough of a browser's cookie store for one host: the sign-in flow scopes its cookies by path
 * (`/id/interaction/<uid>`, `/id/connect/authorize/<uid>`), so paths are honoured; expiry is only
 * used to delete (the gateway clears cookies with a past date or Max-Age=0).
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Stores the Set-Cookie headers of a response to `url`. */
  store(url: URL, setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = defaultPath(url);
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', attrValue = ''] = attribute.split('=');
        const lower = key.toLowerCase();
        if (lower === 'path' && attrValue.startsWith('/')) path = attrValue;
        if (lower === 'max-age' && Number(attrValue) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(attrValue) <= Date.now()) expired = true;
      }
      const key = `${path}\u0000${name}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  /** The Cookie header a browser would send to `url`, longest paths first (RFC 6265 §5.4). */
  header(url: URL): string | undefined {
    const matching = [...this.cookies.values()]
      .filter((c) => pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }
}

function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : url.pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
