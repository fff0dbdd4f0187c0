/**
 * Chips as the graph's canvas shows them at its current zoom, kept as pixels in a few large
 * offscreen canvases ("pages") and copied onto the graph's canvas instead of drawing each chip's
 * shapes and text again. Measured in Chromium on this project's CPU-drawn canvas (no GPU), 180
 * chips: their rounded rectangles and text cost ~4.5–8 ms to draw and rasterize (~14 ms with the
 * dashed border of a starting task), copies from a page ~2–3.5 ms. A frame that redraws the chips
 * of the boxes an update changed, or of a glide, is then mostly copies.
 *
 * A draw does not add to the pages: a chip without a sprite is drawn directly, and its sprite is
 * painted into a page a little later, when the page is idle (~20 µs each). Adding to a page during a
 * draw would copy the whole page each time (the draw holds a snapshot of it until the frame is
 * done), and waiting also keeps a zoom in progress from making sprites for zooms it passes through.
 * All sprites are of one size (chips are), so a page is a grid of cells.
 *
 * The caller draws a chip at whole device pixels both ways, so it looks the same either way.
 */
import type { DrawCtx } from './drawCtx.js';

/** A canvas the sprites are painted into, and its 2D context. */
export interface SpritePage {
  canvas: CanvasImageSource;
  g: DrawCtx & Pick<CanvasRenderingContext2D, 'clearRect'>;
}

/** Makes a `width`×`height` device-pixel page; undefined when it cannot (no OffscreenCanvas). */
export type PageFactory = (width: number, height: number) => SpritePage | undefined;

/** Runs `fn` some time later with a function telling how many milliseconds it may still take; returns a cancel. */
export type IdleScheduler = (fn: (budgetMs: () => number) => void) => () => void;

/** How chips look in this draw; `K` is what a chip's sprite is kept by (its spec). */
export interface SpriteLook<K> {
  /** Everything a chip's pixels depend on besides its spec (zoom, size, font, colours): a change drops every sprite. */
  key: string;
  /** Device pixels per model unit. */
  s: number;
  /** The chip's size, model units. */
  w: number;
  h: number;
  /** Device pixels around the chip in its sprite (a border is drawn over the chip's edge). */
  margin: number;
  /** Paints the chip with its top left corner at the origin, in model units (the context is scaled by `s`). */
  paint(g: DrawCtx, chip: K): void;
}

/** Where a sprite is: its page's canvas and its cell there (device pixels). */
export interface SpriteAt {
  canvas: CanvasImageSource;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The bytes (4 a pixel) the pages may take; past that the least recently drawn sprites make room. */
const BUDGET_BYTES = 48 * 1024 * 1024;
/** A page's side, device pixels (or a cell's, when a chip is larger). */
const PAGE_PX = 1024;
/** Wait this long after a draw that asked for sprites (a zoom in progress draws again sooner, with another look). */
const SETTLE_MS = 150;

/** In a browser: pages are OffscreenCanvases. */
export function offscreenPages(): PageFactory | undefined {
  if (typeof OffscreenCanvas === 'undefined') return undefined;
  return (width, height) => {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    return g ? { canvas, g } : undefined;
  };
}

/** In a browser: when the page is idle, SETTLE_MS after being asked. */
export const idleSoon: IdleScheduler = (fn) => {
  let idle = 0;
  const timer = setTimeout(() => {
    if (typeof requestIdleCallback === 'function') idle = requestIdleCallback((d) => fn(() => d.timeRemaining()), { timeout: 1000 });
    else fn(() => 8);
  }, SETTLE_MS);
  return () => {
    clearTimeout(timer);
    if (idle && typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
  };
};

interface Sprite {
  /** The cell: page × cellsPerPage + cell in the page. */
  cell: number;
  /** The draw that last used it. */
  used: number;
}

/** The sprites of chips kept by `K` (the chip layer's spec of a chip: a new spec, a new sprite). */
export class ChipSprites<K> {
  private sprites = new Map<K, Sprite>();
  private pages: SpritePage[] = [];
  /** Cells of the pages made that hold no sprite. */
  private free: number[] = [];
  private look: SpriteLook<K> | undefined;
  /** The look's cell size (device pixels) and cells per page row and per page. */
  private cell = { w: 0, h: 0, cols: 0, perPage: 0, pageW: 0, pageH: 0 };
  /** Draws begun so far. */
  private draws = 0;
  /** Chips drawn without a sprite since sprites were last made. */
  private wanted = new Set<K>();
  private cancel: (() => void) | undefined;
  private readonly out: SpriteAt = { canvas: undefined as unknown as CanvasImageSource, x: 0, y: 0, w: 0, h: 0 };

  constructor(
    private readonly makePage: PageFactory | undefined = offscreenPages(),
    private readonly schedule: IdleScheduler = idleSoon,
    private readonly budget = BUDGET_BYTES,
  ) {}

  /** Sprites held, and the pages' bytes (for tests and the benchmark). */
  get size(): { sprites: number; pages: number; bytes: number } {
    return { sprites: this.sprites.size, pages: this.pages.length, bytes: this.pages.length * this.cell.pageW * this.cell.pageH * 4 };
  }

  /** Starts a draw of chips that look like `look`; a look unlike the last one's drops every sprite. */
  begin(look: SpriteLook<K>): void {
    this.draws++;
    if (this.look?.key !== look.key) {
      this.clear();
      const w = Math.ceil(look.w * look.s) + 2 * look.margin;
      const h = Math.ceil(look.h * look.s) + 2 * look.margin;
      const [pageW, pageH] = [Math.max(PAGE_PX, w), Math.max(PAGE_PX, h)];
      const cols = Math.floor(pageW / w);
      this.cell = { w, h, cols, perPage: cols * Math.floor(pageH / h), pageW, pageH };
    }
    this.look = look;
  }

  /**
   * Where the sprite of `spec` is (a reused object: read it before the next call), with the chip's
   * top left corner `margin` pixels in from the cell's; undefined: draw the chip directly (its
   * sprite is made later).
   */
  get(spec: K): SpriteAt | undefined {
    const sprite = this.sprites.get(spec);
    if (!sprite) {
      if (this.makePage) this.wanted.add(spec);
      return undefined;
    }
    sprite.used = this.draws;
    const { cols, perPage, w, h } = this.cell;
    const inPage = sprite.cell % perPage;
    const out = this.out;
    out.canvas = this.pages[(sprite.cell - inPage) / perPage]!.canvas;
    out.x = (inPage % cols) * w;
    out.y = Math.floor(inPage / cols) * h;
    out.w = w;
    out.h = h;
    return out;
  }

  /** Ends a draw: the sprites it asked for are made later. */
  end(): void {
    if (this.wanted.size && !this.cancel) this.cancel = this.schedule((budgetMs) => this.makeWanted(budgetMs));
  }

  /** Drops every sprite and page (the graph is going, or the look changed). */
  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.wanted.clear();
    this.sprites.clear();
    this.pages = [];
    this.free = [];
  }

  /** A free cell: a new page's while the budget allows, else the least recently drawn sprite's. */
  private freeCell(): number | undefined {
    if (!this.free.length) {
      const { pageW, pageH, perPage } = this.cell;
      const page = (this.pages.length + 1) * pageW * pageH * 4 <= this.budget || !this.pages.length ? this.makePage?.(pageW, pageH) : undefined;
      if (page) {
        const first = this.pages.length * perPage;
        this.pages.push(page);
        for (let i = perPage - 1; i >= 0; i--) this.free.push(first + i);
      } else this.evict();
    }
    return this.free.pop();
  }

  /** Frees the cells of the quarter of the sprites drawn least recently (none that the last draw used). */
  private evict(): void {
    const old = [...this.sprites].filter(([, s]) => s.used < this.draws).sort((a, b) => a[1].used - b[1].used);
    for (const [spec, sprite] of old.slice(0, Math.max(1, Math.ceil(this.sprites.size / 4)))) {
      this.sprites.delete(spec);
      this.free.push(sprite.cell);
    }
  }

  private makeWanted(budgetMs: () => number): void {
    this.cancel = undefined;
    const look = this.look;
    if (!look) return;
    const { cols, perPage, w, h } = this.cell;
    for (const spec of this.wanted) {
      if (budgetMs() < 1) break; // the rest when the page is next idle
      this.wanted.delete(spec);
      if (this.sprites.has(spec)) continue;
      const cell = this.freeCell();
      if (cell === undefined) {
        this.wanted.clear(); // (no room: the chips in view take more than the budget)
        return;
      }
      const inPage = cell % perPage;
      const { g } = this.pages[(cell - inPage) / perPage]!;
      const [x, y] = [(inPage % cols) * w, Math.floor(inPage / cols) * h];
      g.setTransform(1, 0, 0, 1, 0, 0);
      g.clearRect(x, y, w, h);
      g.save();
      g.beginPath();
      g.rect(x, y, w, h);
      g.clip(); // (nothing of it reaches the next cell)
      g.setTransform(look.s, 0, 0, look.s, x + look.margin, y + look.margin);
      look.paint(g, spec);
      g.restore();
      this.sprites.set(spec, { cell, used: this.draws });
    }
    if (this.wanted.size) this.cancel = this.schedule((next) => this.makeWanted(next));
  }
}
