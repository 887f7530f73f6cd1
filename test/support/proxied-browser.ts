import { Agent, fetch as undiciFetch } from 'undici';
import { CookieJar } from './cookie-jar';

/** Which loopback address the connection comes from (the gateway sees it as the socket peer). */
export type LoopbackFamily = 'ipv4' | 'ipv6';

const agentFor = (family: LoopbackFamily): Agent => {
  const address = family === 'ipv4' ? '127.0.0.1' : '::1';
  const version = family === 'ipv4' ? 4 : 6;
  return new Agent({
    connect: {
      lookup: (_hostname, options, callback) => {
        if ((options as { all?: boolean }).all) callback(null, [{ address, family: version }]);
        else callback(null, address, version);
      },
    },
    keepAliveTimeout: 1_000,
  });
};

const agents: Record<LoopbackFamily, Agent> = { ipv4: agentFor('ipv4'), ipv6: agentFor('ipv6') };

export interface BrowserAnswer {
  status: number;
  location: string | null;
  text: string;
}

export interface ProxiedBrowserOptions {
  /** The address a proxy in front of the gateway reports in X-Forwarded-For; none sends no header. */
  forwardedFor?: string;
  /** The loopback address the connection comes from; IPv4 unless said. */
  via?: LoopbackFamily;
}

/**
 * A browser without JavaScript, behind a proxy that says where the person is: it keeps cookies,
 * follows nothing by itself, and sends X-Forwarded-For with every request. `movedTo` is the same
 * browser (same cookies) on another network.
 */
export class ProxiedBrowser {
  constructor(
    private readonly options: ProxiedBrowserOptions = {},
    private readonly jar = new CookieJar(),
  ) {}

  movedTo(options: ProxiedBrowserOptions): ProxiedBrowser {
    return new ProxiedBrowser(options, this.jar);
  }

  get(url: URL): Promise<BrowserAnswer> {
    return this.send(url, { method: 'GET' });
  }

  /** Posts a form as the sign-in pages expect it (urlencoded). */
  post(url: URL, form: Record<string, string>): Promise<BrowserAnswer> {
    return this.send(url, {
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams(form).toString(),
    });
  }

  private async send(
    url: URL,
    request: { method: string; contentType?: string; body?: string },
  ): Promise<BrowserAnswer> {
    const headers: Record<string, string> = {};
    const cookie = this.jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (this.options.forwardedFor) headers['x-forwarded-for'] = this.options.forwardedFor;
    if (request.contentType) headers['content-type'] = request.contentType;
    const res = await undiciFetch(url, {
      method: request.method,
      body: request.body,
      headers,
      redirect: 'manual',
      dispatcher: agents[this.options.via ?? 'ipv4'],
    });
    this.jar.store(url, res.headers.getSetCookie());
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
}
