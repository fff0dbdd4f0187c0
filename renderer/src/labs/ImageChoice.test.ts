import { describe, expect, it } from 'vitest';
import { chosenImages, loadedSummary } from './ImageChoice.js';

describe('the images chosen to load', () => {
  it('are the ticked lesson images by name, then the others as typed', () => {
    expect(chosenImages({ lesson: new Set(['registry', 'web']), other: ' nginx:alpine,redis:7  busybox ' })).toEqual(['web', 'registry', 'nginx:alpine', 'redis:7', 'busybox']);
    expect(chosenImages({ lesson: new Set(), other: '  ' })).toEqual([]);
  });
});

describe('what a load did', () => {
  it('says per image how many nodes got it and how many had it', () => {
    const r = [
      { node: 'manager1', image: 'swarm-lab/web:0.1.0', loaded: true },
      { node: 'worker1', image: 'swarm-lab/web:0.1.0', loaded: false },
      { node: 'worker2', image: 'swarm-lab/web:0.1.0', loaded: true },
      { node: 'manager1', image: 'swarm-lab/registry:0.1.0', loaded: true },
    ];
    expect(loadedSummary('lab', r)).toBe('lab: swarm-lab/web:0.1.0 loaded into 2 nodes (1 had it already); swarm-lab/registry:0.1.0 loaded into 1 node.');
  });

  it('says so when every node had an image', () => {
    expect(loadedSummary('lab', [{ node: 'manager1', image: 'swarm-lab/web:0.1.0', loaded: false }])).toBe('lab: swarm-lab/web:0.1.0 was in every node already.');
  });

  it('says so when no node was running', () => {
    expect(loadedSummary('lab', [])).toBe('lab has no running node to load images into.');
  });
});
