import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless. Instance hosts (`*.localhost`) resolve to the loopback address;
 * nothing else is reachable (this machine has no network).
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--host-resolver-rules=MAP *.localhost 127.0.0.1',
    ],
  });
}
