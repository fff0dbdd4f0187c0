import { describe, expect, it } from 'vitest';
import { imageRef } from '../images/images.js';
import { LabEngine } from './engine.js';

describe('a lab spec', () => {
  it('loads no image unless asked', () => {
    expect(LabEngine.parseSpec({ managers: 1, workers: 0 }).images).toEqual([]);
  });

  it("names the lesson images short, as this version's refs, once each", () => {
    const spec = LabEngine.parseSpec({ managers: 1, workers: 2, images: ['web', ' registry ', imageRef('web'), 'nginx:alpine', 'nginx:alpine'] });
    expect(spec.images).toEqual([imageRef('web'), imageRef('registry'), 'nginx:alpine']);
  });

  it('keeps the node image out of the short names: "node" is an image like any other', () => {
    expect(LabEngine.parseSpec({ managers: 1, workers: 0, images: ['node'] }).images).toEqual(['node']);
  });

  it('refuses an empty name, saying what is wrong', () => {
    expect(() => LabEngine.parseSpec({ managers: 1, workers: 0, images: [''] })).toThrow(/image to load needs a name/);
  });
});
