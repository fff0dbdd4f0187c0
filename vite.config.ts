import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from swarm-lab://app/ in Electron and from http://127.0.0.1:PORT/ in web
// mode, so asset URLs are relative.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
