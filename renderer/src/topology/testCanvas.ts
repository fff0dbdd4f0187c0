/**
 * For unit tests: a stand-in for a canvas's 2D context that records what is drawn, one line per
 * operation ("roundRect x,y,w,h", "fill #colour α0.5", "stroke #colour width", "text …", …), and the
 * transforms set. Text is measured as 6 units a character.
 */
import type { DrawCtx } from './drawCtx.js';

export interface Recorder extends DrawCtx {
  ops: string[];
  transforms: number[][];
  /** Each fillText with the state it was drawn in. */
  texts: { text: string; x: number; y: number; font: string; baseline: string; fill: string }[];
}

export function recorder(): Recorder {
  const ops: string[] = [];
  const transforms: number[][] = [];
  const texts: Recorder['texts'] = [];
  const ctx: Recorder = {
    ops,
    transforms,
    texts,
    font: '',
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    textAlign: 'start',
    textBaseline: 'alphabetic',
    setTransform: ((...m: number[]) => void transforms.push(m)) as DrawCtx['setTransform'],
    fillRect: (x, y, w, h) => void ops.push(`fillRect ${x},${y},${w},${h} ${String(ctx.fillStyle)}`),
    strokeRect: () => void ops.push('strokeRect'),
    save: () => void ops.push('save'),
    restore: () => void ops.push('restore'),
    clip: (() => void ops.push('clip')) as DrawCtx['clip'],
    beginPath: () => undefined,
    moveTo: () => undefined,
    lineTo: () => void ops.push('lineTo'),
    closePath: () => undefined,
    rect: (x, y, w, h) => void ops.push(`rect ${x},${y},${w},${h}`),
    roundRect: ((x: number, y: number, w: number, h: number) => void ops.push(`roundRect ${x},${y},${w},${h}`)) as DrawCtx['roundRect'],
    fill: (() => void ops.push(`fill ${String(ctx.fillStyle)} α${ctx.globalAlpha}`)) as DrawCtx['fill'],
    stroke: (() => void ops.push(`stroke ${String(ctx.strokeStyle)} ${ctx.lineWidth}`)) as DrawCtx['stroke'],
    setLineDash: () => undefined,
    fillText: (t, x, y) => {
      ops.push(`text ${t} @${x},${y}`);
      texts.push({ text: t, x, y, font: ctx.font, baseline: ctx.textBaseline, fill: String(ctx.fillStyle) });
    },
    drawImage: ((_image: unknown, ...a: number[]) => void ops.push(`image @${a.length > 2 ? `${a[4]},${a[5]}` : `${a[0]},${a[1]}`}`)) as DrawCtx['drawImage'],
    measureText: (t) => ({ width: t.length * 6 }) as TextMetrics,
  };
  return ctx;
}
