import { describe, expect, it } from 'vitest';
import { dockAction, isMacPlatform, type KeyLike } from './keys.js';

const k = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('dockAction', () => {
  it('maps Ctrl shortcuts on Linux and Windows', () => {
    expect(dockAction(k('C', { ctrlKey: true, shiftKey: true }), false)).toBe('copy');
    expect(dockAction(k('V', { ctrlKey: true, shiftKey: true }), false)).toBe('paste');
    expect(dockAction(k('T', { ctrlKey: true, shiftKey: true }), false)).toBe('newShell');
    expect(dockAction(k('f', { ctrlKey: true }), false)).toBe('find');
    expect(dockAction(k('=', { ctrlKey: true }), false)).toBe('fontUp');
    expect(dockAction(k('-', { ctrlKey: true }), false)).toBe('fontDown');
    expect(dockAction(k('PageUp', { ctrlKey: true }), false)).toBe('prevTab');
    expect(dockAction(k('PageDown', { ctrlKey: true }), false)).toBe('nextTab');
    expect(dockAction(k('`', { ctrlKey: true }), false)).toBe('toggleDock');
  });
  it('leaves the shell its own keys', () => {
    expect(dockAction(k('c', { ctrlKey: true }), false)).toBeUndefined(); // SIGINT
    expect(dockAction(k('v', { ctrlKey: true }), false)).toBeUndefined();
    expect(dockAction(k('f', { altKey: true }), false)).toBeUndefined();
    expect(dockAction(k('a'), false)).toBeUndefined();
  });
  it('uses Cmd on macOS', () => {
    expect(dockAction(k('c', { metaKey: true, shiftKey: true }), true)).toBe('copy');
    expect(dockAction(k('f', { metaKey: true }), true)).toBe('find');
    expect(dockAction(k('f', { ctrlKey: true }), true)).toBeUndefined();
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
  });
});
