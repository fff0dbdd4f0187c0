import { defineConfig } from 'vitest/config';

// Three projects: unit tests beside the code (pure logic, fakes allowed), integration tests against
// a real Docker engine, end-to-end tests driving Chromium against `swarm-lab serve`.
// Integration and e2e files run one at a time, and the projects one after another (groupOrder):
// they share one Docker engine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/architecture/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
