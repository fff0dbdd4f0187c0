// Baselines for the terminal benchmark in `npm run bench:ui`, each measured without the app: what the pty
// itself delivers, and what a bare page holding only xterm gets over a WebSocket, over a streamed
// response, and from memory.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coresBusy, median, MIB, round, sleep } from './figures.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What the source itself delivers: `cat` of the file through a pty (node-pty, bytes, as the app's local
 * shell reads it), read and dropped in this process; no batching, no browser. Run 0 warms up.
 */
export async function ptyThroughput(file, { cols, rows, runs }) {
  const pty = (await import('node-pty')).default;
  const seconds = [];
  const cpu = [];
  let bytes = 0;
  for (let run = 0; run <= runs; run++) {
    const busy = coresBusy();
    const t0 = performance.now();
    let got = 0;
    const term = pty.spawn('cat', [file], { cols, rows, encoding: null });
    term.onData((d) => (got += d.length));
    await new Promise((r) => term.onExit(r));
    await sleep(20); // (the last chunks may follow the exit)
    const cores = busy.stop();
    const took = (performance.now() - t0 - 20) / 1000;
    if (run > 0) seconds.push(took);
    if (run > 0) cpu.push(cores * (took + 0.02)); // the machine's CPU seconds for it: cat, the kernel's pty, this process reading
    bytes = got;
  }
  const mb = bytes / MIB;
  return { mib: round(mb, 2), seconds: round(median(seconds), 3), mibPerSecond: round(mb / median(seconds), 2), runs: seconds.map((x) => round(x, 2)), cpuSeconds: round(median(cpu), 3) };
}

/**
 * What any terminal fed over a WebSocket can do on this machine: a page holding nothing but xterm (the
 * app terminal's size, default font, DOM renderer), fed the same lines by a minimal server in this
 * process in the app's batch size, paused above the app's high-water mark and resumed at its low-water
 * mark, acknowledged after each write callback in 32 KiB steps, as the app does: no app, no pty, no
 * shell, no RPC layer. Against raw xterm.write in that same page.
 */
export async function benchBareTransport(browser, { text, cols, rows, runs }) {
  const { createServer } = await import('node:http');
  const { WebSocketServer } = await import('ws');
  const t = await import(join(root, 'dist', 'electron', 'common', 'terminal.js'));
  const data = Buffer.from(text);
  const xtermJs = readFileSync(join(root, 'node_modules', '@xterm', 'xterm', 'lib', 'xterm.js'));
  const xtermCss = readFileSync(join(root, 'node_modules', '@xterm', 'xterm', 'css', 'xterm.css'));
  const page = `<!doctype html><link rel="stylesheet" href="/xterm.css"><script src="/xterm.js"></script><div id="t"></div><script>
const term = new Terminal({ cols: ${cols}, rows: ${rows}, scrollback: 5000 });
term.open(document.getElementById('t'));
window.viaSocket = () => new Promise((resolve) => {
  const ws = new WebSocket('ws://' + location.host + '/flood');
  let t0, pending = 0, timer;
  const ack = () => { clearTimeout(timer); timer = undefined; if (pending) ws.send(String(pending)); pending = 0; };
  ws.onopen = () => { term.reset(); t0 = performance.now(); ws.send('go'); };
  ws.onmessage = (e) => {
    const f = JSON.parse(e.data);
    if (f.end) return term.write('', () => { resolve((performance.now() - t0) / 1000); ws.close(); });
    term.write(f.data, () => { pending += f.bytes; if (pending >= 32768) ack(); else timer ??= setTimeout(ack, 8); });
  };
});
// the same bytes as a streamed response, xterm fed bytes, at most the app's window ahead of xterm
window.viaStream = async () => {
  term.reset();
  const t0 = performance.now();
  const reader = (await fetch('/flood-stream', { cache: 'no-store' })).body.getReader();
  let pending = 0, wake;
  for (;;) {
    if (pending > ${t.TERMINAL_HIGH_WATER}) await new Promise((r) => (wake = r));
    const { value, done } = await reader.read();
    if (done) break;
    pending += value.length;
    term.write(value, () => { pending -= value.length; if (pending <= ${t.TERMINAL_LOW_WATER} && wake) { wake(); wake = undefined; } });
  }
  return new Promise((resolve) => term.write('', () => resolve((performance.now() - t0) / 1000)));
};
window.raw = (text) => new Promise((resolve) => {
  term.reset();
  requestAnimationFrame(() => {
    const t0 = performance.now();
    for (let at = 0; at < text.length; at += 65536) term.write(text.slice(at, at + 65536), at + 65536 >= text.length ? () => resolve((performance.now() - t0) / 1000) : undefined);
  });
});
</script>`;
  const server = createServer((req, res) => {
    if (req.url !== '/flood-stream') return void res.end(req.url === '/xterm.js' ? xtermJs : req.url === '/xterm.css' ? xtermCss : page);
    // in the app's batch size, as fast as the page reads it
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let at = 0;
    const pump = () => {
      while (at < data.length) {
        const chunk = data.subarray(at, at + t.TERMINAL_BATCH_BYTES);
        at += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  const wss = new WebSocketServer({ server, path: '/flood' });
  wss.on('connection', (ws) => {
    let at = 0;
    let unacked = 0;
    let paused = false;
    const pump = () => {
      while (at < data.length) {
        if (unacked > t.TERMINAL_HIGH_WATER) return void (paused = true);
        const chunk = data.subarray(at, at + t.TERMINAL_BATCH_BYTES);
        at += chunk.length;
        unacked += chunk.length;
        ws.send(JSON.stringify({ data: chunk.toString('utf8'), bytes: chunk.length }));
      }
      ws.send(JSON.stringify({ end: true }));
    };
    ws.on('message', (m) => {
      if (String(m) === 'go') return void setImmediate(pump);
      unacked -= Number(String(m));
      if (paused && unacked <= t.TERMINAL_LOW_WATER) {
        paused = false;
        setImmediate(pump);
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const tab = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  try {
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    const socket = [];
    const stream = [];
    const raw = [];
    const socketCores = [];
    const streamCores = [];
    const rawCores = [];
    /** Times one way into the page, with the cores busy meanwhile; run -1 warms up and is not counted. */
    const measure = async (run, into, cores, how) => {
      const busy = coresBusy();
      const seconds = await how();
      const used = busy.stop();
      if (run >= 0) {
        into.push(seconds);
        cores.push(used);
      }
    };
    for (let run = -1; run < runs; run++) {
      await measure(run, socket, socketCores, () => tab.evaluate(() => window.viaSocket()));
      await measure(run, stream, streamCores, () => tab.evaluate(() => window.viaStream()));
      await measure(run, raw, rawCores, () => tab.evaluate((s) => window.raw(s), text));
    }
    const mb = data.length / MIB;
    return {
      socket: { seconds: round(median(socket), 2), mibPerSecond: round(mb / median(socket), 2), runs: socket.map((x) => round(x, 2)), coresBusy: round(median(socketCores), 2) },
      stream: { seconds: round(median(stream), 2), mibPerSecond: round(mb / median(stream), 2), runs: stream.map((x) => round(x, 2)), coresBusy: round(median(streamCores), 2) },
      raw: { seconds: round(median(raw), 2), mibPerSecond: round(mb / median(raw), 2), runs: raw.map((x) => round(x, 2)), coresBusy: round(median(rawCores), 2) },
      ratio: round(median(raw) / median(socket), 2),
      streamRatio: round(median(raw) / median(stream), 2),
    };
  } finally {
    await tab.close();
    wss.close();
    server.close();
  }
}
