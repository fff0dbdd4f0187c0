/// <reference lib="dom" />
/**
 * Preload (sandboxed, CommonJS): exposes platform facts and hands the page one MessagePort to the
 * back end. No ipcRenderer and no per-method API reach the page.
 */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('swarmLab', {
  desktop: true,
  platform: process.platform,
  versions: { electron: process.versions.electron, chrome: process.versions.chrome },
});

ipcRenderer.on('swarm-lab:port', (event) => {
  // Transferred to the page's world; renderer/src/transport.ts picks it up.
  window.postMessage('swarm-lab:port', window.location.origin, [...event.ports]);
});

window.addEventListener('swarm-lab:connect', () => ipcRenderer.send('swarm-lab:connect'));
