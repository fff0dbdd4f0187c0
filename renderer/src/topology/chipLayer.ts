/**
 * The task chips, drawn by the graph itself on a canvas over Cytoscape's, instead of as Cytoscape
 * nodes. Cytoscape keeps the boxes, networks and edges (and panning, zooming, dragging and taps).
 *
 * Why: Cytoscape pays per element it holds, on screen or not (bounding boxes, style, z-order and
 * texture bookkeeping every frame and every change). With 3,000 chips a frame cost ~60 ms on this
 * CPU-drawn canvas; keeping chips only for the boxes in view still left 1,345 of them just past the
 * overview and a 40–80 ms frame after an update (npm run bench:ui). Drawn here, a chip costs one
 * rounded rectangle and one line of text, or a copy of its sprite (chipSprites.ts), and only when
 * its box is in view.
 *
 * A chip is placed relative to its box's centre (the box's live position is read at each draw), so
 * a dragged or moving box carries its chips with no work. A chip that changes box, or replaces a
 * task of the same slot elsewhere, glides from where it was; a new chip fades in.
 */
import { bounds, meets, toModel, type DrawCtx, type Rect, type Viewport } from './drawCtx.js';
import type { ChipSprites } from './chipSprites.js';
import { CHIP, chipGrid, type Point } from './layout.js';
import { svgElement, type SvgElementLike } from './svg-export.js';

export type ChipPhase = 'running' | 'starting' | 'failed' | 'stopping' | 'other';

export interface ChipSpec {
  /** `task:<id>`. */
  id: string;
  /** The box holding it: `node:<id>` or the unassigned group. */
  box: string;
  label: string;
  color: string;
  textColor: string;
  phase: ChipPhase;
  serviceId?: string;
  /** `serviceId.slot`: a new task with the slot of a vanished one glides from where that one was. */
  slotKey?: string;
}

export interface ChipLook {
  fontFamily: string;
  /** Model units. */
  fontSize: number;
  bold: boolean;
  /** Chip size multiplier (presenter mode). */
  scale: number;
  fg: string;
  fail: string;
  accent: string;
  /** Thicker selection marks. */
  presenter: boolean;
  /** Text smaller than this on screen is left out (a chip is then a coloured tile). */
  minScreenPx: number;
}

/** Where a box is now (model coordinates), or undefined when the graph has no such box. */
export type BoxAt = (boxId: string) => Point | undefined;

interface Motion {
  /** Where the glide starts (model coordinates). */
  fromX: number;
  fromY: number;
  start: number;
  duration: number;
  /** A glide that stays within its box: the half size of the room around the box's centre it stays in. */
  reach: { hw: number; hh: number } | undefined;
}

interface Chip {
  spec: ChipSpec;
  /** Offset of the chip's centre from its box's centre. */
  dx: number;
  dy: number;
  glide: Motion | undefined;
  /** Fading in since `start`. */
  fade: { start: number; duration: number } | undefined;
  /** The last update that had this chip's task. */
  seen: number;
}

interface BoxChips {
  /** The box's id (`node:<id>`, or the unassigned group). */
  box: string;
  /** The array the update had for this box (an unchanged box gets the same array again). */
  specs: readonly ChipSpec[];
  chips: Chip[];
  /** Half the chip grid's size: with the box's centre, what a draw must see to need this box. */
  hw: number;
  hh: number;
}

export interface ChipMotion {
  /** performance.now() of the change. */
  now: number;
  /** Show the new state at once (first draw, a change of scale, reduced motion). */
  instant: boolean;
  /** Milliseconds a chip takes to fade in; gliding from another box takes 1.5 times as long. */
  duration: number;
  /**
   * Where boxes that jumped with this change were before it (a box that grew keeps its top-left
   * corner, so its centre moves): a chip glides from where it was drawn, and a chip that stays where
   * it was drawn does not glide at all. Boxes it does not know are where `boxAtNow` says.
   */
  boxWas?: BoxAt;
}

/** A chip's border by its task's phase: starting dashed, stopping dotted, failed thick and red; none when running. */
function borderOf(phase: ChipPhase, look: ChipLook): [colour: string, width: number, style: 'solid' | 'dashed' | 'dotted'] {
  if (phase === 'starting') return [look.fg, 2, 'dashed'];
  if (phase === 'stopping') return [look.fg, 2, 'dotted'];
  if (phase === 'failed') return [look.fail, 3, 'solid'];
  return ['none', 0, 'solid'];
}

/** How far a chip's drawing reaches beyond it (the selection's halo), in model units at scale 1. */
const HALO = 8;

/** A chip's border (see borderOf) around the path just filled. */
function border(ctx: DrawCtx, spec: ChipSpec, look: ChipLook): void {
  const [colour, width, style] = borderOf(spec.phase, look);
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.setLineDash(style === 'dashed' ? [5, 3] : style === 'dotted' ? [2, 2] : []);
  ctx.stroke();
  if (style !== 'solid') ctx.setLineDash([]);
}

/**
 * Paints a chip with its top left corner at the origin (model units): its rounded rectangle, its
 * phase's border and `text` (the caller set the font, centred); `alpha`: its opacity while fading in.
 */
function paintChip(ctx: DrawCtx, spec: ChipSpec, w: number, h: number, text: string | undefined, look: ChipLook, alpha: number): void {
  const a = alpha * (spec.phase === 'stopping' ? 0.45 : 1);
  ctx.globalAlpha = a * (spec.phase === 'starting' ? 0.55 : 1);
  ctx.fillStyle = spec.color;
  ctx.beginPath();
  ctx.roundRect(0, 0, w, h, Math.min(w, h) / 4);
  ctx.fill();
  ctx.globalAlpha = a;
  if (spec.phase !== 'running' && spec.phase !== 'other') border(ctx, spec, look);
  if (text !== undefined) {
    ctx.fillStyle = spec.textColor;
    ctx.fillText(text, w / 2, h / 2);
  }
  ctx.globalAlpha = 1;
}

const easeInOutCubic = (t: number): number => (t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2);

export class ChipLayer {
  private boxes = new Map<string, BoxChips>();
  private byId = new Map<string, Chip>();
  private scale = 1;
  /** Updates so far (chips are marked with the last that had them). */
  private updates = 0;
  /** Label → the label cut to fit a chip, for the font in `fitFont`. */
  private fitted = new Map<string, string>();
  private fitFont = '';
  /** Chips gliding or fading: drawn wherever they are, whatever their box. */
  private moving = new Set<Chip>();
  /** `task:<id>` marked as selected; chips of `service:<id>` marked as the selected service. */
  selected?: string;
  selectedService?: string;
  /**
   * What changed since the last draw, in model rectangles (boxes whose chips changed); undefined:
   * anything may have (draw it all). See `region`.
   */
  private dirty: Rect[] | undefined = undefined;
  /** Where the chips gliding or fading were drawn last. */
  private movingDrawn: Rect[] = [];
  /** Kept to make no garbage per chip per frame: the place of the chip `draw` is drawing, and coverMoving's rooms. */
  private readonly pos: Point = { x: 0, y: 0 };
  private readonly rooms = new Map<string, { hw: number; hh: number }>();
  /** The boxes whose chips the last whole draw covered (for tests and the benchmark). */
  lastDrawnBoxes: string[] = [];
  /** Chips the last whole draw drew. */
  lastDrawnChips = 0;

  /**
   * Replaces the chips with `perBox` (each box's chips in grid order). A box whose array is the one
   * the last update had is left as it is: pass the same array for a box whose chips did not change,
   * and an update costs only the boxes that did. Chips that change box or place glide from where
   * they are now; a new chip in the slot of a chip of a changed box (a task replaced elsewhere)
   * glides from that chip's place; other new chips fade in. Returns whether anything changed.
   *
   * A chip that stays (its task is still shown) is the same object, changed in place: an update
   * after a worker goes down shifts hundreds of chips in the boxes its tasks went to, and making
   * them anew was most of the garbage an update made.
   */
  update(perBox: ReadonlyMap<string, readonly ChipSpec[]>, scale: number, boxAtNow: BoxAt, motion: ChipMotion): boolean {
    // (each box's place asked once: every chip of a changed box needs it)
    const places = new Map<string, Point | undefined>();
    const boxAt: BoxAt = (id) => (places.has(id) ? places.get(id) : places.set(id, boxAtNow(id)).get(id));
    const rescaled = scale !== this.scale;
    this.scale = scale;
    if (rescaled) this.dirty = undefined;
    const pad = HALO * scale;
    /** Marks a box's chips' area to be drawn anew: as it was (`before`), or as it is. */
    const touched = (box: string, b: { hw: number; hh: number }, before = false): void => {
      const at = (before ? motion.boxWas?.(box) : undefined) ?? boxAt(box);
      if (at) this.dirty?.push({ x1: at.x - b.hw - pad, y1: at.y - b.hh - pad, x2: at.x + b.hw + pad, y2: at.y + b.hh + pad });
    };
    const update = ++this.updates;
    /** The boxes that changed or went, as they were. */
    const before = new Map<string, BoxChips>();
    for (const [box, b] of this.boxes) {
      if (!rescaled && perBox.get(box) === b.specs) continue;
      before.set(box, b);
      touched(box, b, true);
      this.boxes.delete(box);
    }
    let bySlot: Map<string, Chip> | undefined;
    const slotOf = (key: string): Chip | undefined => {
      if (!bySlot) {
        bySlot = new Map();
        for (const b of before.values()) for (const c of b.chips) if (c.spec.slotKey) bySlot.set(c.spec.slotKey, c);
      }
      return bySlot.get(key);
    };
    const [cw, ch] = [(CHIP.w * scale) / 2, (CHIP.h * scale) / 2];
    const { now } = motion;
    const wasAt: BoxAt = motion.boxWas ? (id) => motion.boxWas!(id) ?? boxAt(id) : boxAt;
    const from = { x: 0, y: 0 }; // (where the chip being set up is now)
    let changed = before.size > 0;
    for (const [box, specs] of perBox) {
      if (this.boxes.has(box)) continue;
      changed = true;
      const grid = chipGrid(specs.length, scale);
      const at = boxAt(box);
      const was = before.get(box);
      /** A glide from inside the box's grid, as it was or is now, stays inside the larger of the two (made when first needed). */
      let room: Motion['reach'];
      const chips: Chip[] = [];
      for (let i = 0; i < specs.length; i++) {
        const spec = specs[i]!;
        const o = grid.offsets[i]!;
        let c = this.byId.get(spec.id);
        if (c) {
          if (!rescaled && c.spec === spec && c.dx === o.x && c.dy === o.y) {
            // the same task in the same place of the same box: kept as it is (gliding or fading on)
            c.seen = update;
            chips.push(c);
            continue;
          }
          if (motion.instant) {
            c.glide = undefined;
            c.fade = undefined;
          } else if ((c.spec.box !== box || c.dx !== o.x || c.dy !== o.y) && this.placeChip(c, wasAt, now, from)) {
            if (at && Math.abs(from.x - at.x - o.x) < 0.5 && Math.abs(from.y - at.y - o.y) < 0.5) c.glide = undefined; // drawn where it goes: its box grew around it
            else {
              room ??= { hw: Math.max(grid.width / 2, was?.hw ?? 0), hh: Math.max(grid.height / 2, was?.hh ?? 0) };
              const within = !!at && Math.abs(from.x - at.x) + cw <= room.hw && Math.abs(from.y - at.y) + ch <= room.hh;
              c.glide = { fromX: from.x, fromY: from.y, start: now, duration: c.spec.box !== box ? motion.duration * 1.5 : motion.duration, reach: within ? room : undefined };
            }
          }
          c.spec = spec;
          c.dx = o.x;
          c.dy = o.y;
        } else {
          // (every field set here, and cleared rather than deleted later: a chip keeps one shape, and
          // the draws' loops over thousands of chips stay fast)
          c = { spec, dx: o.x, dy: o.y, glide: undefined, fade: undefined, seen: update };
          if (!motion.instant) {
            const replaced = spec.slotKey ? slotOf(spec.slotKey) : undefined;
            if (replaced && this.placeChip(replaced, wasAt, now, from)) c.glide = { fromX: from.x, fromY: from.y, start: now, duration: motion.duration * 1.5, reach: undefined };
            else c.fade = { start: now, duration: motion.duration };
          }
          this.byId.set(spec.id, c);
        }
        c.seen = update;
        if (c.glide || c.fade) this.moving.add(c);
        else this.moving.delete(c);
        chips.push(c);
      }
      const built = { box, specs, chips, hw: grid.width / 2, hh: grid.height / 2 };
      touched(box, built);
      this.boxes.set(box, built);
    }
    // the chips gone (their tasks are no longer shown)
    for (const b of before.values()) {
      for (const c of b.chips) {
        if (c.seen === update) continue;
        if (this.byId.get(c.spec.id) === c) this.byId.delete(c.spec.id);
        this.moving.delete(c);
      }
    }
    return changed;
  }

  /** Everything is to be drawn anew at the next draw (the selection, the look or the view changed). */
  invalidate(): void {
    this.dirty = undefined;
  }

  /**
   * What the next draw must cover, in model rectangles: the boxes whose chips changed since the last
   * draw, and the chips gliding or fading where they were drawn last and where they are now (see
   * `cover`). Undefined when anything may have changed: draw it all. Not made simple: the graph
   * leaves out what is out of view first (damage.ts, simplify).
   */
  region(boxAt: BoxAt, now: number): Rect[] | undefined {
    if (!this.dirty) return undefined;
    const out = this.dirty.concat(this.movingDrawn);
    this.coverMoving(boxAt, now, out);
    return out;
  }

  /**
   * Adds to `out` what the chips gliding or fading cover at `now`, as rectangles to redraw: the
   * chips gliding within their box (shifting along its grid) as one rectangle per box around the
   * room they move in, the others (crossing to another box, fading in) each as its own. Runs on
   * every frame of an animation for hundreds of chips, so it makes no object per chip.
   */
  private coverMoving(boxAt: BoxAt, now: number, out: Rect[]): Rect[] {
    const pad = HALO * this.scale;
    const [cw, ch] = [(CHIP.w * this.scale) / 2, (CHIP.h * this.scale) / 2];
    const rooms = this.rooms;
    const p = { x: 0, y: 0 }; // (one per call, reused for every chip; not the draw's, which may be in use)
    for (const c of this.moving) {
      const room = c.glide?.reach;
      if (room) {
        const r = rooms.get(c.spec.box);
        if (!r) rooms.set(c.spec.box, { hw: room.hw, hh: room.hh });
        else {
          r.hw = Math.max(r.hw, room.hw);
          r.hh = Math.max(r.hh, room.hh);
        }
      } else if (this.placeChip(c, boxAt, now, p)) out.push({ x1: p.x - cw - pad, y1: p.y - ch - pad, x2: p.x + cw + pad, y2: p.y + ch + pad });
    }
    for (const [box, r] of rooms) {
      const at = boxAt(box);
      if (at) out.push({ x1: at.x - r.hw - pad, y1: at.y - r.hh - pad, x2: at.x + r.hw + pad, y2: at.y + r.hh + pad });
    }
    rooms.clear();
    return out;
  }

  /** A chip's centre at `now` (model coordinates). */
  positionOf(id: string, boxAt: BoxAt, now: number): Point | undefined {
    const c = this.byId.get(id);
    return c ? this.positionOfChip(c, boxAt, now) : undefined;
  }

  private positionOfChip(c: Chip, boxAt: BoxAt, now: number): Point | undefined {
    const p = { x: 0, y: 0 };
    return this.placeChip(c, boxAt, now, p) ? p : undefined;
  }

  /**
   * Writes a chip's centre at `now` (model coordinates) into `out`; false when its box is gone. Ends
   * a glide whose time is up. (The draws call this for every moving chip on every frame: `out` is
   * reused rather than a point made each time.)
   */
  private placeChip(c: Chip, boxAt: BoxAt, now: number, out: Point): boolean {
    const b = boxAt(c.spec.box);
    if (!b) return false;
    const x = b.x + c.dx;
    const y = b.y + c.dy;
    const g = c.glide;
    const t = g ? (now - g.start) / g.duration : 1;
    if (!g || t >= 1) {
      if (g) c.glide = undefined;
      out.x = x;
      out.y = y;
      return true;
    }
    const k = easeInOutCubic(Math.max(0, t));
    out.x = g.fromX + (x - g.fromX) * k;
    out.y = g.fromY + (y - g.fromY) * k;
    return true;
  }

  /** Every chip with its place at `now` (for exports and tests). */
  chips(boxAt: BoxAt, now: number): { spec: ChipSpec; x: number; y: number; w: number; h: number }[] {
    const out: { spec: ChipSpec; x: number; y: number; w: number; h: number }[] = [];
    for (const c of this.byId.values()) {
      const p = this.positionOfChip(c, boxAt, now);
      if (p) out.push({ spec: c.spec, ...p, w: CHIP.w * this.scale, h: CHIP.h * this.scale });
    }
    return out;
  }

  /** Every chip as an element of the SVG export, looking as it is drawn. */
  svgElements(boxAt: BoxAt, look: ChipLook, now: number): SvgElementLike[] {
    return this.chips(boxAt, now).map(({ spec, x, y, w, h }) => {
      const [border, width, style] = borderOf(spec.phase, look);
      return svgElement({ x1: x - w / 2, y1: y - h / 2, x2: x + w / 2, y2: y + h / 2 }, {
        'z-index': '20',
        shape: 'round-rectangle',
        'background-color': spec.color,
        'background-opacity': spec.phase === 'starting' ? '0.55' : '1',
        'border-color': border,
        'border-width': String(width),
        'border-style': style,
        label: spec.label,
        'font-size': String(look.fontSize),
        'text-valign': 'center',
        color: spec.textColor,
      }, { x, y });
    });
  }

  /** The chip under a point (model coordinates), the one drawn last when they overlap. */
  hit(p: Point, boxAt: BoxAt, now: number): ChipSpec | undefined {
    const hw = (CHIP.w * this.scale) / 2;
    const hh = (CHIP.h * this.scale) / 2;
    const q = { x: 0, y: 0 };
    const inside = (c: Chip): boolean => this.placeChip(c, boxAt, now, q) && Math.abs(p.x - q.x) <= hw && Math.abs(p.y - q.y) <= hh;
    for (const c of this.moving) if (inside(c)) return c.spec;
    for (const [id, b] of this.boxes) {
      const at = boxAt(id);
      if (!at || Math.abs(p.x - at.x) > b.hw || Math.abs(p.y - at.y) > b.hh) continue;
      for (let i = b.chips.length - 1; i >= 0; i--) if (inside(b.chips[i]!)) return b.chips[i]!.spec;
    }
    return undefined;
  }

  /**
   * Draws on `ctx` (`width`×`height` device pixels, `ratio` per CSS pixel; the caller clears it) the
   * chips of the boxes in view, then those still moving (an export's view is the whole graph); only
   * those meeting `region`'s rectangles, for a partial redraw. With `sprites`, a chip is copied from
   * its bitmap when it has one (see chipSprites.ts). Returns whether a chip is still gliding or
   * fading (draw again next frame).
   */
  draw(ctx: DrawCtx, width: number, height: number, ratio: number, view: Viewport, boxAt: BoxAt, look: ChipLook, now: number, region?: readonly Rect[], sprites?: ChipSprites<ChipSpec>): boolean {
    const { left, top, right, bottom } = toModel(ctx, width, height, ratio, view, region && bounds(region));
    const halo = HALO * this.scale;
    const w = CHIP.w * this.scale;
    const h = CHIP.h * this.scale;
    const withText = look.fontSize * view.zoom >= look.minScreenPx;
    // Below 12 screen pixels of height a chip is a coloured tile: its text would be under 5.5 px, and
    // a plain rectangle rasterizes several times faster than a rounded one (~700 chips on screen
    // just past the overview: a frame of 17–23 ms with rounded chips on this CPU-drawn canvas).
    const tile = h * view.zoom < 12;
    const font = `${look.bold ? 'bold ' : ''}${look.fontSize}px ${look.fontFamily}`;
    const setFont = (g: DrawCtx): void => {
      g.font = font;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
    };
    if (withText) {
      setFont(ctx);
      if (font !== this.fitFont) {
        this.fitFont = font;
        this.fitted.clear();
      }
    }
    const textOf = (g: DrawCtx, spec: ChipSpec): string | undefined => (withText ? this.fit(g, spec.label, w - 10 * this.scale) : undefined);
    // A chip other than a tile is drawn at whole device pixels (its top left corner rounded), from
    // its sprite or directly: it looks the same either way.
    const s = ratio * view.zoom;
    const [ox, oy] = [ratio * view.pan.x, ratio * view.pan.y];
    const margin = Math.ceil(1.5 * s) + 1; // (a border of up to 3 units is drawn over the chip's edge)
    // (begun and ended whenever given, tiles or not: a call made only on some draws would leave the
    // optimized draw without type feedback for it, and it would fall back to the interpreter on
    // every draw that made it, measured: 36 times in one benchmark run)
    sprites?.begin({
      key: `${s} ${w}×${h} ${font} ${withText} ${look.fg} ${look.fail}`,
      s,
      w,
      h,
      margin,
      paint: (g, spec) => {
        if (withText) setFont(g);
        paintChip(g, spec, w, h, textOf(g, spec), look, 1);
      },
    });
    // (the boxes drawn are listed for a whole draw only: a partial one is not what tests look at)
    const drawnBoxes: string[] | undefined = region ? undefined : [];
    let drawn = 0;
    // The chip at `q` (its centre, model coordinates). Drawn hundreds of times a frame, so it makes
    // no garbage: the centre comes in a reused object (two number arguments would each be boxed
    // on a call that is not inlined).
    const q = this.pos;
    /** The context's transform is the identity (sprites are copied in device pixels). */
    let identity = false;
    const one = (c: Chip): void => {
      const px = q.x;
      const py = q.y;
      if (px + w / 2 < left || px - w / 2 > right || py + h / 2 < top || py - h / 2 > bottom) return;
      drawn++;
      const spec = c.spec;
      const fade = c.fade ? Math.min(1, Math.max(0, (now - c.fade.start) / c.fade.duration)) : 1;
      if (c.fade && fade >= 1) c.fade = undefined;
      if (tile) {
        const x = px - w / 2;
        const y = py - h / 2;
        ctx.globalAlpha = fade * (spec.phase === 'stopping' ? 0.45 : 1) * (spec.phase === 'starting' ? 0.55 : 1);
        ctx.fillStyle = spec.color;
        ctx.fillRect(x, y, w, h);
        ctx.globalAlpha = 1;
        if (spec.phase === 'failed') {
          ctx.strokeStyle = look.fail;
          ctx.lineWidth = 3;
          ctx.strokeRect(x, y, w, h);
        }
        if (this.marked(spec)) this.mark(ctx, c, x, y, w, h, look);
        return;
      }
      const dx = Math.round((px - w / 2) * s + ox);
      const dy = Math.round((py - h / 2) * s + oy);
      const sprite = sprites?.get(spec);
      if (sprite) {
        if (!identity) ctx.setTransform(1, 0, 0, 1, 0, 0); // (set once for a run of copies)
        identity = true;
        ctx.globalAlpha = fade;
        ctx.drawImage(sprite.canvas, sprite.x, sprite.y, sprite.w, sprite.h, dx - margin, dy - margin, sprite.w, sprite.h);
        ctx.globalAlpha = 1;
      }
      if (!sprite || this.marked(spec)) {
        ctx.setTransform(s, 0, 0, s, dx, dy);
        identity = false;
        if (!sprite) paintChip(ctx, spec, w, h, textOf(ctx, spec), look, fade);
        if (this.marked(spec)) this.mark(ctx, c, 0, 0, w, h, look);
      }
    };
    for (const b of this.boxes.values()) {
      const id = b.box;
      const at = boxAt(id);
      if (!at) continue;
      if ((at.x + b.hw < left || at.x - b.hw > right || at.y + b.hh < top || at.y - b.hh > bottom)) continue;
      if (region && !meets(region, at.x - b.hw - halo, at.y - b.hh - halo, at.x + b.hw + halo, at.y + b.hh + halo)) continue;
      drawnBoxes?.push(id);
      for (const c of b.chips) {
        if (this.moving.has(c) && c.glide) continue; // drawn last, on top of the boxes it crosses
        q.x = at.x + c.dx;
        q.y = at.y + c.dy;
        one(c);
      }
    }
    for (const c of this.moving) {
      const gliding = !!c.glide; // (skipped by its box above; drawn here, at its end too)
      const placed = this.placeChip(c, boxAt, now, q); // (ends a glide when its time is up)
      if (placed && gliding && (!region || meets(region, q.x - w / 2 - halo, q.y - h / 2 - halo, q.x + w / 2 + halo, q.y + h / 2 + halo))) one(c);
      if (c.fade && now >= c.fade.start + c.fade.duration) c.fade = undefined; // ended, seen or not
      // (one that has arrived is drawn in its place for good)
      if (!c.glide && !c.fade) this.moving.delete(c);
    }
    ctx.setLineDash([]);
    ctx.setTransform(s, 0, 0, s, ox, oy); // (back to model units, as toModel left it)
    sprites?.end();
    // where the next frame must clear the chips still moving
    this.movingDrawn = this.coverMoving(boxAt, now, []);
    const still = this.moving.size > 0;
    this.dirty = [];
    if (drawnBoxes) {
      this.lastDrawnBoxes = drawnBoxes;
      this.lastDrawnChips = drawn;
    }
    return still;
  }

  private marked(spec: ChipSpec): boolean {
    return this.selected === spec.id || (this.selectedService !== undefined && this.selectedService === spec.serviceId);
  }

  /** The selection's mark: a tinted halo and an accent border (the service's chips: the border). */
  private mark(ctx: DrawCtx, c: Chip, x: number, y: number, w: number, h: number, look: ChipLook): void {
    const k = look.presenter ? 1.45 : 1;
    ctx.strokeStyle = look.accent;
    ctx.setLineDash([]);
    const r = Math.min(w, h) / 4;
    if (this.selected === c.spec.id) {
      const pad = 4 * k;
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = look.accent;
      ctx.beginPath();
      ctx.roundRect(x - pad, y - pad, w + 2 * pad, h + 2 * pad, r + pad);
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = look.presenter ? 6 : 4;
    } else ctx.lineWidth = 3 * k;
    ctx.beginPath();
    ctx.roundRect(x, y, w, h, r);
    ctx.stroke();
  }

  /** `label` cut with an ellipsis to fit `max` model units in the current font (cached per label). */
  private fit(ctx: DrawCtx, label: string, max: number): string {
    const hit = this.fitted.get(label);
    if (hit !== undefined) return hit;
    let out = label;
    if (ctx.measureText(label).width > max) {
      let lo = 0;
      let hi = label.length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ctx.measureText(`${label.slice(0, mid)}…`).width <= max) lo = mid;
        else hi = mid - 1;
      }
      out = `${label.slice(0, lo)}…`;
    }
    this.fitted.set(label, out);
    return out;
  }
}
