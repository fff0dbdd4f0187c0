import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('uses the singular for one and the plural otherwise', () => {
    expect(plural(1, 'network')).toBe('1 network');
    expect(plural(0, 'volume')).toBe('0 volumes');
    expect(plural(4, 'container')).toBe('4 containers');
  });
});
