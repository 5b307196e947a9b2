/**
 * Debian's Chromium as the browser tests and the bench drive it (playwright-core cannot download
 * browsers here): its path, and the flags it needs as root on a machine without outside network
 * (without the background-networking flags it opens many refused connections).
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** playwright-core's launch options for that browser. */
export const chromiumLaunchOptions = () => ({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
