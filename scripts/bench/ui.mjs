#!/usr/bin/env node
// `npm run bench:ui`: the workbench's speed in Chromium, each figure next to a baseline measured in
// the same run:
// - terminal throughput: `cat` of a file in a local shell through the whole app (pty → back end
//   batcher → the page's output stream → xterm, acknowledged after xterm's write callback), against the same bytes
//   handed straight to `xterm.write` in a second terminal in the same page, and against a bare page
//   fed the same bytes over a bare WebSocket (what any socket-fed terminal gets on this machine);
// - keystroke echo latency: a key typed in the app's terminal until bash's echo is in xterm's buffer
//   and the frame that drew it is done, against the pty's own echo measured in this process (the floor);
// - the topology graph: first render and incremental updates for 100 nodes / 3,000 tasks, fitted,
//   just past the overview and at 100 % (the real TopologyGraph in a production build of
//   renderer/bench/graph.html), and the page's main-thread work once the graph is at rest.
// Writes bench-results/ui.json. Needs a built app (npm run build) and Chromium; no Docker engine.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startServe } from '../lib/harness.mjs';
import { coresBusy, CORES, cpuSeconds, median, MIB, round, sleep, summary } from './figures.mjs';
import { buildGraphPage, serveDir } from './graph-page.mjs';
import { benchBareTransport, ptyThroughput } from './terminal-baselines.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BYTES = Number(process.env.UI_BENCH_MIB ?? 8) * MIB;
const ECHO_KEYS = Number(process.env.UI_BENCH_KEYS ?? 100);
const FLOOD_RUNS = Number(process.env.UI_BENCH_RUNS ?? 3);

if (!existsSync(join(root, 'dist', 'electron', 'node', 'cli', 'main.js'))) throw new Error('The app is not built: run "npm run build" first.');
const browser = await launchChromium();
const cleanups = [() => browser.close()];
const cleanup = async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
};

let servePid;
const ONLY = process.env.UI_BENCH_ONLY; // "graph" or "terminal", to run one half
try {
  const graph = ONLY === 'terminal' ? undefined : await benchGraph();
  const shell = ONLY === 'graph' ? undefined : await openShell();
  const echo = shell ? await benchEcho(shell) : undefined;
  const terminal = shell ? await benchTerminal(shell) : undefined;
  const results = { date: new Date().toISOString(), chromium: browser.version(), terminal, echo, graph };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', 'ui.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench-results/ui.json');
} finally {
  await cleanup();
}

// ── the graph ────────────────────────────────────────────────────────────────

async function benchGraph() {
  const outDir = join(root, 'bench-results', 'ui-page');
  console.error('building the graph benchmark page…');
  await buildGraphPage(outDir);
  const server = await serveDir(outDir);
  cleanups.push(() => new Promise((r) => server.close(r)));
  const page = await browser.newPage({ viewport: { width: 1300, height: 860 } });
  page.on('pageerror', (e) => console.error(`graph page: ${e.message}`));
  console.error('rendering 100 nodes / 3,000 tasks and applying 32 updates fitted, 32 zoomed in just past the overview, 32 at 100 %…');
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/graph.html?nodes=100&tasks=3000&updates=32`);
  await page.waitForFunction(() => window.graphBench, undefined, { timeout: 300_000, polling: 500 });
  const r = await page.evaluate(() => window.graphBench);
  if (r.error) throw new Error(`the graph page failed: ${r.error}`);
  // at rest: the page's main-thread work while the graph shows and nothing changes, over 5 s (after 10 s
  // in which V8 collects what the updates left: major collections of ~75 ms in the first seconds)
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  await sleep(10_000);
  const rest0 = await taskSeconds();
  await sleep(5000);
  const atRestMsPerSecond = round(((await taskSeconds()) - rest0) * 1000 / 5, 1);
  await page.close();
  // an update's cost: its commit and the whole main-thread frame that showed it
  const per = (u) => u.commitMs + u.frameMs;
  // the scripts' part alone (commit and draw, without the page's own rendering work): what this benchmark measured before
  const scripts = (u) => u.commitMs + u.drawMs;
  const phases = {};
  for (const phase of Object.keys(r.elements)) {
    const us = r.updates.filter((u) => u.phase === phase);
    const byKind = {};
    for (const u of us) (byKind[u.kind] ??= []).push(u);
    phases[phase] = {
      elements: r.elements[phase],
      chipsDrawn: r.chipsDrawn?.[phase],
      update: summary(us.map(per)),
      scriptsUpdate: summary(us.map(scripts)),
      commit: summary(us.map((u) => u.commitMs)),
      frame: summary(us.map((u) => u.frameMs)),
      draw: summary(us.map((u) => u.drawMs)),
      byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, { update: summary(v.map(per)), commit: summary(v.map((u) => u.commitMs)), frame: summary(v.map((u) => u.frameMs)), draw: summary(v.map((u) => u.drawMs)) }])),
      animationFrame: summary(us.flatMap((u) => u.animationFrameMs)),
      animationFrameDraw: summary(us.flatMap((u) => u.animationDrawMs)),
    };
  }
  const graph = {
    nodes: r.nodes,
    tasks: r.tasks,
    firstRender: { commitMs: round(r.first.commitMs), drawMs: round(r.first.drawMs), frameMs: round(r.first.frameMs), readyMs: round(r.first.readyMs) },
    atRestMsPerSecond,
    update: summary(r.updates.map(per)),
    scriptsUpdate: summary(r.updates.map(scripts)),
    phases,
  };
  const line = (name) => {
    const p = phases[name];
    return `${name} (${p.elements} Cytoscape elements, ${p.chipsDrawn} chips drawn): update p50 ${p.update.p50} ms, p95 ${p.update.p95} ms (commit p95 ${p.commit.p95}, frame p95 ${p.frame.p95} of which scripts' draw ${p.draw.p95}); animation frames p95 ${p.animationFrame.p95 ?? '-'} ms`;
  };
  console.log(
    `graph ${r.nodes} nodes / ${r.tasks} tasks: first render ${graph.firstRender.commitMs} ms + frame ${graph.firstRender.frameMs} ms; at rest ${atRestMsPerSecond} ms of main-thread work a second; ` +
      `all updates p50 ${graph.update.p50} ms, p95 ${graph.update.p95} ms (target ≤ 16 ms; the scripts' part alone p50 ${graph.scriptsUpdate.p50}, p95 ${graph.scriptsUpdate.p95}); ${Object.keys(phases).map(line).join('; ')}`,
  );
  return graph;
}

// ── the terminal: echo ───────────────────────────────────────────────────────

/** Starts `swarm-lab serve` and opens a local shell in the terminal dock, with a plain prompt; returns its page. */
async function openShell() {
  const serve = await startServe();
  servePid = serve.child.pid;
  cleanups.push(serve.stop);
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, bypassCSP: true });
  // Page-side timestamps of one keystroke's way (see benchEcho's loop); they observe, never change, the app.
  await context.addInitScript(() => {
    // The end of the active terminal's buffer, through the dock's test hook (see screen()).
    window.benchTerminalText = (lines) => {
      const el = document.querySelector('[data-testid="terminal-pane"]:not([hidden]).active .term-xterm');
      if (!el) return '';
      const detail = { lines };
      el.dispatchEvent(new CustomEvent('swarm-lab:terminal-text', { detail }));
      return detail.text ?? '';
    };
    window.echoTimes = {};
    addEventListener('keydown', () => (window.echoTimes.key ??= performance.now()), true);
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (d) {
      if (typeof d === 'string' && d.includes('"terminal.write"')) window.echoTimes.send ??= performance.now();
      return send.call(this, d);
    };
    // output arrives on the terminal's output stream (web mode): the first read after the key
    const read = ReadableStreamDefaultReader.prototype.read;
    ReadableStreamDefaultReader.prototype.read = function () {
      return read.call(this).then((r) => {
        if (!r.done) window.echoTimes.receive ??= performance.now();
        return r;
      });
    };
  });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(serve.url);
  await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
  const dock = page.getByRole('region', { name: 'Terminals' });
  await dock.getByRole('button', { name: /Terminals/ }).click();
  await dock.getByRole('button', { name: /New local shell/ }).click();
  await dock.getByRole('tab').first().waitFor();
  await page.locator('.term-xterm .xterm-screen').click();
  // a plain prompt, so the echo is the only thing that changes the line
  await typeLine(page, "PS1='$ '; clear");
  await waitForText(page, (t) => t.trim().endsWith('$'), 'a plain prompt');
  return page;
}

/** Keystroke echo in the shell of `openShell`. */
async function benchEcho(page) {
  console.error(`typing ${ECHO_KEYS} keys into the app's terminal…`);
  const samples = [];
  for (let i = 0; i < ECHO_KEYS; i++) {
    if (i % 50 === 0 && i) {
      await page.keyboard.press('Control+U');
      await waitForText(page, (t) => t.trim().endsWith('$'), 'the line to clear');
    }
    await page.evaluate(() => (window.echoTimes = {}));
    const before = await screen(page);
    // Times are taken in the page: the keydown, the terminal.write frame leaving, the first output
    // frame arriving, the echo in xterm's buffer (polled every few ms) and the end of the frame that
    // drew it. With the DOM renderer that frame is the one in which xterm rewrote its rows with the
    // echo (seen by a MutationObserver; a timeout from there runs once the frame's style, layout and
    // paint are done); with a canvas renderer, the frame after the echo was found in the buffer.
    // The watcher is in place before the key is typed: input and evaluations reach the page by different ways.
    await page.evaluate((prev) => {
      const el = document.querySelector('[data-testid="terminal-pane"]:not([hidden]).active .term-xterm');
      const read = () => window.benchTerminalText(80);
      window.echoWait = new Promise((resolve, reject) => {
        const rows = el.dataset.renderer === 'dom' ? el.querySelector('.xterm-rows') : null;
        let inBuffer;
        let shown;
        const done = () => inBuffer !== undefined && shown !== undefined && (observer?.disconnect(), resolve({ ...window.echoTimes, inBuffer, shown }));
        const observer = rows
          ? new MutationObserver(() => {
              if (shown === undefined && read() !== prev) {
                observer.disconnect();
                setTimeout(() => ((shown = performance.now()), done()));
              }
            })
          : undefined;
        observer?.observe(rows, { childList: true, subtree: true, characterData: true, attributes: true });
        const end = performance.now() + 5000;
        const poll = () => {
          if (read() !== prev) {
            inBuffer = performance.now();
            if (!rows) requestAnimationFrame(() => setTimeout(() => ((shown = performance.now()), done())));
            done();
          } else if (performance.now() > end) reject(new Error('no echo within 5 s'));
          else setTimeout(poll, 1);
        };
        poll();
        setTimeout(() => reject(new Error('the echo was not drawn within 5 s')), 5000);
      });
    }, before);
    await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
    samples.push(await page.evaluate(() => window.echoWait));
    await sleep(20);
  }
  const since = (a, b) => samples.filter((x) => x[a] && x[b]).map((x) => x[b] - x[a]);
  const app = since('key', 'inBuffer');
  const painted = since('key', 'shown');
  const floor = await ptyEchoFloor();
  const echo = {
    inBuffer: summary(app),
    painted: summary(painted),
    ptyFloor: summary(floor),
    breakdown: { keyToSend: summary(since('key', 'send')), sendToReceive: summary(since('send', 'receive')), receiveToBuffer: summary(since('receive', 'inBuffer')) },
  };
  const b = echo.breakdown;
  console.log(
    `echo: in xterm's buffer p50 ${echo.inBuffer.p50} ms, p95 ${echo.inBuffer.p95} ms; drawn p95 ${echo.painted.p95} ms (target ≤ 30 ms); the pty alone p95 ${echo.ptyFloor.p95} ms; ` +
      `p50 key→send ${b.keyToSend.p50} ms, send→output ${b.sendToReceive.p50} ms, output→buffer ${b.receiveToBuffer.p50} ms`,
  );
  return echo;
}

/** The echo of a bare pty running bash, read in this process as it arrives: what no app can beat. */
async function ptyEchoFloor() {
  const pty = (await import('node-pty')).default;
  const term = pty.spawn('bash', ['--norc', '--noprofile'], { cols: 120, rows: 30, env: { ...process.env, PS1: '$ ' } });
  let arrived;
  term.onData(() => arrived?.(performance.now()));
  await sleep(300);
  const times = [];
  for (let i = 0; i < ECHO_KEYS; i++) {
    const echoed = new Promise((r) => (arrived = r));
    const t0 = performance.now();
    term.write(String.fromCharCode(97 + (i % 26)));
    times.push((await echoed) - t0);
    arrived = undefined;
    if (i % 50 === 49) term.write('\x15');
    await sleep(20);
  }
  term.kill();
  return times;
}

// ── the terminal: throughput ─────────────────────────────────────────────────

/** Lines of 80 printable characters plus a newline, numbered, `bytes` in all. */
function fileContent(bytes) {
  const lines = [];
  for (let i = 0, size = 0; size < bytes; i++, size += 81) lines.push(`${String(i).padStart(8, '0')} ${'swarm-lab-terminal-benchmark-'.repeat(3).slice(0, 71)}`);
  return `${lines.join('\n')}\n`;
}

async function benchTerminal(page) {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-lab-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const content = fileContent(BYTES);
  writeFileSync(join(dir, 'flood.txt'), content);
  const ptyText = content.replace(/\n/g, '\r\n'); // what the pty delivers: it turns \n into \r\n
  const written = ptyText.length;
  const mb = written / MIB;
  const expectedLast = content.slice(content.lastIndexOf('\n', content.length - 2) + 1).trim();

  // the app terminal's size, for the raw one
  await typeLine(page, 'clear; echo size-$(stty size | tr " " x)');
  let size;
  await waitForText(page, (t) => (size = t.match(/size-(\d+)x(\d+)/)), 'the terminal size');
  const [rows, cols] = [Number(size[1]), Number(size[2])];

  // the raw terminal: xterm.js from node_modules, same size, font and renderer, over the app's pane
  await page.addScriptTag({ path: join(root, 'node_modules', '@xterm', 'xterm', 'lib', 'xterm.js') });
  await page.addStyleTag({ path: join(root, 'node_modules', '@xterm', 'xterm', 'css', 'xterm.css') });
  const rendererKind = await page.locator('[data-testid="terminal-pane"]:not([hidden]).active .term-xterm').getAttribute('data-renderer');
  if (rendererKind === 'webgl') await page.addScriptTag({ path: join(root, 'node_modules', '@xterm', 'addon-webgl', 'lib', 'addon-webgl.js') });

  const app = [];
  const raw = [];
  const rtts = [];
  const rawRtts = [];
  // the machine's cores kept busy during each run: the app's flood runs Chromium, the back end, the
  // shell's cat and the pty on the same cores, the raw write only the page
  const appCores = [];
  const rawCores = [];
  const rawBytes = [];
  const rawBytesCpu = [];
  let backEndCpu = 0;
  // what the machine does with nothing flooding (the page at rest, the shell waiting, the engine idle),
  // taken off the CPU times of the floor below
  const idle = coresBusy();
  await sleep(2000);
  const background = idle.stop();
  // the raw runs' text, in the page before any run (8 MiB through DevTools would hold up the round-trip probes)
  await page.evaluate((text) => void (window.benchRawText = text), ptyText);
  // Run 0 warms up and is not counted: each run is faster than the one before until the page's
  // parsers are compiled (the app's xterm and the raw one are separate copies), first runs ~1.5×.
  for (let run = 0; run <= FLOOD_RUNS; run++) {
    const counted = run > 0;
    console.error(`${counted ? `run ${run}/${FLOOD_RUNS}` : 'warm-up'}: cat of ${round(content.length / MIB)} MiB through the app, then the same bytes through xterm.write…`);
    await typeLine(page, 'clear');
    await sleep(300);
    await page.keyboard.type(`cat ${join(dir, 'flood.txt')}; echo bench-$((40+${run}))-done`);
    // Timed in the page, like the raw run: from the Enter keydown until the marker is in the buffer
    // (checked every frame through the dock's text hook, two lines at a time). The keydown listener
    // is in place before Enter is pressed: input and evaluations reach the page by different ways.
    await page.evaluate(() => {
      window.floodStart = undefined;
      if (window.floodListening) return;
      window.floodListening = true;
      addEventListener('keydown', (e) => e.key === 'Enter' && (window.floodStart ??= performance.now()), { capture: true });
    });
    const cpu0 = cpuSeconds(servePid);
    const busy = coresBusy();
    const probing = probeRoundTrips(page, counted ? rtts : []);
    await page.keyboard.press('Enter');
    const finished = page.evaluate((marker) => {
      const tail = () => window.benchTerminalText(2);
      return new Promise((resolve, reject) => {
        const end = performance.now() + 600_000;
        const poll = () => {
          if (window.floodStart !== undefined && tail().includes(marker)) resolve((performance.now() - window.floodStart) / 1000);
          else if (performance.now() > end) reject(new Error('the cat did not finish in the app terminal within 10 minutes'));
          else requestAnimationFrame(poll);
        };
        poll();
      });
    }, `bench-${40 + run}-done`);
    const seconds = await finished;
    const cores = busy.stop();
    await probing.stop();
    if (counted) {
      appCores.push(cores);
      app.push(seconds);
      backEndCpu += cpuSeconds(servePid) - cpu0;
    }
    const last = (await screen(page)).split('\n').filter((l) => /^\d{8} /.test(l)).at(-1);
    if (last !== expectedLast) throw new Error(`the app terminal's last line is "${last}", expected "${expectedLast}": output was lost`);
    const rawProbing = probeRoundTrips(page, counted ? rawRtts : []);
    const rawBusy = coresBusy();
    const rawSeconds = await rawWrite(page, { webgl: rendererKind === 'webgl', cols, rows });
    const rawCoresBusy = rawBusy.stop();
    await rawProbing.stop();
    // the bytes' run is not probed: its CPU time is one half of the floor below, which is to be no more than it must be
    const rawBytesBusy = coresBusy();
    const rawBytesSeconds = await rawWrite(page, { webgl: rendererKind === 'webgl', cols, rows, bytes: true });
    const rawBytesCores = rawBytesBusy.stop();
    if (counted) {
      raw.push(rawSeconds);
      rawCores.push(rawCoresBusy);
      rawBytes.push(rawBytesSeconds);
      rawBytesCpu.push(rawBytesCores * rawBytesSeconds);
    }
  }
  console.error(`the same cat through a bare pty read in this process, ${FLOOD_RUNS} runs…`);
  const ptyAlone = await ptyThroughput(join(dir, 'flood.txt'), { cols, rows, runs: FLOOD_RUNS });
  console.error(`the same bytes over a bare WebSocket into a bare page, ${FLOOD_RUNS} runs…`);
  const bare = await benchBareTransport(browser, { text: ptyText, cols, rows, runs: FLOOD_RUNS });
  const appSeconds = median(app);
  const rawSeconds = median(raw);
  // The floor: any app must at least run the pty's side (cat, the kernel's pty, reading it: the pty alone)
  // and xterm's side (parsing and drawing the bytes: the raw write; a flood that lasts longer is drawn
  // more often, so no less) on these cores. Their CPU seconds over the cores is the least time a flood
  // through any app can take here, and the raw write's time over it the best ratio to raw bytes possible.
  const rawBytesSeconds = median(rawBytes);
  const cpuOf = (cpu, seconds) => Math.max(0, cpu - background * seconds);
  const floorCpu = cpuOf(median(rawBytesCpu), rawBytesSeconds) + cpuOf(ptyAlone.cpuSeconds, ptyAlone.seconds);
  const floor = { background: round(background, 2), rawBytesCpuSeconds: round(cpuOf(median(rawBytesCpu), rawBytesSeconds), 3), ptyCpuSeconds: round(cpuOf(ptyAlone.cpuSeconds, ptyAlone.seconds), 3), seconds: round(Math.max(floorCpu / CORES, rawBytesSeconds, ptyAlone.seconds), 3) };
  floor.bestRatioToBytes = round(rawBytesSeconds / floor.seconds, 2);
  const terminal = {
    mib: round(mb, 2),
    renderer: rendererKind,
    size: { cols, rows },
    runs: FLOOD_RUNS,
    app: { seconds: round(appSeconds, 2), mibPerSecond: round(mb / appSeconds, 2), runs: app.map((x) => round(x, 2)), pageRoundTripMs: summary(rtts), backEndCpuPercent: Math.round((backEndCpu / app.reduce((x, y) => x + y, 0)) * 100), coresBusy: round(median(appCores), 2) },
    raw: { seconds: round(rawSeconds, 2), mibPerSecond: round(mb / rawSeconds, 2), runs: raw.map((x) => round(x, 2)), pageRoundTripMs: summary(rawRtts), coresBusy: round(median(rawCores), 2) },
    rawBytes: { seconds: round(median(rawBytes), 2), mibPerSecond: round(mb / median(rawBytes), 2), runs: rawBytes.map((x) => round(x, 2)) },
    ratioToBytes: round(median(rawBytes) / appSeconds, 2),
    floor,
    cores: CORES,
    ratio: round(rawSeconds / appSeconds, 2),
    ptyAlone,
    bareTransport: bare,
  };
  console.log(
    `terminal (median of ${FLOOD_RUNS}): ${terminal.mib} MiB through the app in ${terminal.app.seconds} s (${terminal.app.mibPerSecond} MiB/s) vs raw xterm.write ${terminal.raw.seconds} s (${terminal.raw.mibPerSecond} MiB/s) = ${Math.round(terminal.ratio * 100)} % (target ≥ 80 %), vs raw xterm.write of the bytes ${terminal.rawBytes.mibPerSecond} MiB/s = ${Math.round(terminal.ratioToBytes * 100)} %; ` +
      `the pty alone (cat read in Node, nothing drawn): ${ptyAlone.mibPerSecond} MiB/s, the app ${Math.round((terminal.app.mibPerSecond / ptyAlone.mibPerSecond) * 100)} % of it; ` +
      `the floor on ${CORES} cores (CPU of the raw bytes' write ${floor.rawBytesCpuSeconds} s + of the pty alone ${floor.ptyCpuSeconds} s, less the background's ${floor.background} cores): ${floor.seconds} s, so at best ${Math.round(floor.bestRatioToBytes * 100)} % of raw bytes; ` +
      `into a bare page: a bare WebSocket ${bare.socket.mibPerSecond} MiB/s, a bare streamed response ${bare.stream.mibPerSecond} MiB/s, raw there ${bare.raw.mibPerSecond} MiB/s (${Math.round(bare.ratio * 100)} % and ${Math.round(bare.streamRatio * 100)} %); ` +
      `page round trip during the floods p95 ${terminal.app.pageRoundTripMs.p95} ms (raw ${terminal.raw.pageRoundTripMs.p95} ms); back end ${terminal.app.backEndCpuPercent} % of a core; ` +
      `cores busy of ${CORES}: app ${terminal.app.coresBusy}, raw ${terminal.raw.coresBusy}, bare socket ${bare.socket.coresBusy}, bare stream ${bare.stream.coresBusy}, raw in the bare page ${bare.raw.coresBusy}`,
  );
  return terminal;
}

/** The flood's text (`window.benchRawText`), or its bytes, written straight to a second xterm in the page; seconds until the last write callback. */
function rawWrite(page, args) {
  return page.evaluate(async ({ webgl, cols, rows, bytes }) => {
    // as text, or as its UTF-8 bytes (what the app's output stream hands xterm; xterm parses them faster)
    const data = bytes ? (window.benchRawBytes ??= new TextEncoder().encode(window.benchRawText)) : window.benchRawText;
    const pane = document.querySelector('[data-testid="terminal-pane"]:not([hidden]).active .term-xterm');
    const rowsEl = pane.querySelector('.xterm-rows');
    const style = rowsEl ? getComputedStyle(rowsEl) : undefined;
    const box = pane.getBoundingClientRect();
    const host = document.createElement('div');
    Object.assign(host.style, { position: 'fixed', left: `${box.left}px`, top: `${box.top}px`, width: `${box.width}px`, height: `${box.height}px`, zIndex: 9999, background: '#000' });
    document.body.appendChild(host);
    const term = new window.Terminal({ cols, rows, scrollback: 5000, fontSize: style ? parseFloat(style.fontSize) : 13, fontFamily: style?.fontFamily || 'monospace' });
    term.open(host);
    if (webgl) term.loadAddon(new window.WebglAddon.WebglAddon());
    const CHUNK = 64 * 1024;
    await new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    await new Promise((resolve) => {
      for (let at = 0; at < data.length; at += CHUNK) term.write(data.subarray ? data.subarray(at, at + CHUNK) : data.slice(at, at + CHUNK), at + CHUNK >= data.length ? resolve : undefined);
    });
    const seconds = (performance.now() - t0) / 1000;
    term.dispose();
    host.remove();
    return seconds;
  }, args);
}

// ── helpers ──────────────────────────────────────────────────────────────────

/** Measures page round trips (an empty evaluate) every 50 ms into `into`, as a user's clicks would wait, until stopped. */
function probeRoundTrips(page, into) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      if ((await page.evaluate(() => 0).catch(() => undefined)) === undefined) return; // the page is gone
      into.push(performance.now() - t0);
      await sleep(50);
    }
  })();
  return { stop: () => ((stopped = true), loop) };
}

async function typeLine(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The end of the active terminal's buffer (its last `lines` rows, blank rows below the cursor included), through the dock's test hook. */
function screen(page, lines = 80) {
  return page.evaluate((n) => window.benchTerminalText(n), lines);
}

async function waitForText(page, ok, what) {
  const end = Date.now() + 15_000;
  while (!ok(await screen(page))) {
    if (Date.now() > end) throw new Error(`${what} did not show in the terminal within 15 s; it shows:\n${await screen(page)}`);
    await sleep(50);
  }
}
