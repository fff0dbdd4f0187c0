/**
 * URL checks for the Electron shell: what the window may show, and which links may leave the app
 * for the system browser. Pure functions so they are unit-tested without Electron.
 */
export const APP_SCHEME = 'swarm-lab';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The window may only ever show our own bundled pages. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/** Documentation sites a lesson may link to; opened in the system browser, never in the app window. */
const EXTERNAL_HOSTS = new Set(['docs.docker.com', 'docker.com', 'www.docker.com', 'github.com', 'docs.github.com']);

export function isAllowedExternalUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === 'https:' && !u.username && !u.password && EXTERNAL_HOSTS.has(u.hostname) && (u.port === '' || u.port === '443');
}

/** Permissions the app's own pages may use; everything else is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function isAllowedPermission(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

/** Maps a request for our scheme to a file under the renderer folder, or undefined if it escapes. */
export function appUrlToPath(url: string): string | undefined {
  const u = parse(url);
  if (!u || !isAppUrl(url)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.includes('\\'))) return undefined;
  return segments.length === 0 ? 'index.html' : segments.join('/');
}
