/** Debian's Chromium driven by playwright-core, started the way this machine allows (shared with npm run bench:ui). */
export { CHROMIUM, launchChromium } from '../../scripts/lib/harness.mjs';
