import { describe, expect, it } from 'vitest';
import { appUrlToPath, isAllowedExternalUrl, isAllowedPermission, isAppUrl } from './url-guards.js';

describe('window URL guards', () => {
  it.each([
    ['swarm-lab://app/index.html', true],
    ['swarm-lab://app/', true],
    ['swarm-lab://other/index.html', false],
    ['swarm-lab://user:pw@app/', false],
    ['file:///etc/passwd', false],
    ['https://app/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('isAppUrl(%s) = %s', (url, expected) => expect(isAppUrl(url)).toBe(expected));

  it.each([
    ['https://docs.docker.com/engine/swarm/', true],
    ['https://github.com/docker/cli', true],
    ['http://docs.docker.com/', false],
    ['https://docs.docker.com.evil.example/', false],
    ['https://user@docs.docker.com/', false],
    ['https://docs.docker.com:8443/', false],
    ['file:///tmp/x', false],
  ])('isAllowedExternalUrl(%s) = %s', (url, expected) => expect(isAllowedExternalUrl(url)).toBe(expected));

  it('grants only clipboard writes, only to our pages', () => {
    expect(isAllowedPermission('clipboard-sanitized-write', 'swarm-lab://app/')).toBe(true);
    expect(isAllowedPermission('clipboard-sanitized-write', 'https://docs.docker.com/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(isAllowedPermission(p, 'swarm-lab://app/')).toBe(false);
    }
  });

  it.each([
    ['swarm-lab://app/', 'index.html'],
    ['swarm-lab://app/assets/index-abc.js', 'assets/index-abc.js'],
    ['swarm-lab://app/assets/../index.html', 'index.html'],
    // The URL parser resolves encoded dot segments first: the path stays inside the folder.
    ['swarm-lab://app/%2e%2e/%2e%2e/etc/passwd', 'etc/passwd'],,
    ['swarm-lab://app/a%5c..%5csecret', undefined],
    ['swarm-lab://app/a%00b', undefined],
    ['swarm-lab://evil/index.html', undefined],
  ] as [string, string | undefined][])('appUrlToPath(%s) = %s', (url, expected) => expect(appUrlToPath(url)).toBe(expected));
});
