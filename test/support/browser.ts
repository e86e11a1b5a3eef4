import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (scripts/install-browser), headless; Playwright never downloads a browser here.
 * The flags keep it off the network it would otherwise call home to, which this machine's closed network
 * refuses. Playwright gives every launch a fresh, empty profile directory.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
