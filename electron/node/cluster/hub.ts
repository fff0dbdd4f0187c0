/**
 * One live watcher per lab, shared by every subscriber (UI windows, the CLI's --watch), started on
 * first use and stopped a while after the last subscriber leaves.
 */
import type { LabEngine } from '../lab/engine.js';
import { labManagerSource } from './lab-source.js';
import { ClusterWatcher, type WatcherOptions } from './watcher.js';

export class ClusterHub {
  private readonly watchers = new Map<string, { watcher: ClusterWatcher; users: number; idle?: NodeJS.Timeout }>();

  constructor(
    private readonly engine: () => LabEngine,
    private readonly options: WatcherOptions & { lingerMs?: number } = {},
  ) {}

  /** A started watcher for the lab; call the returned release when done with it. */
  async acquire(lab: string): Promise<{ watcher: ClusterWatcher; release: () => void }> {
    await this.engine().inspect(lab); // LAB_NOT_FOUND before anything starts
    let entry = this.watchers.get(lab);
    if (!entry) {
      entry = { watcher: new ClusterWatcher(labManagerSource(this.engine(), lab), this.options), users: 0 };
      this.watchers.set(lab, entry);
      entry.watcher.start();
    }
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    entry.users++;
    const e = entry;
    let released = false;
    return {
      watcher: e.watcher,
      release: () => {
        if (released) return;
        released = true;
        if (--e.users > 0) return;
        e.idle = setTimeout(() => {
          e.watcher.stop();
          this.watchers.delete(lab);
        }, this.options.lingerMs ?? 30_000);
        e.idle.unref?.();
      },
    };
  }

  /** The lab's watcher when one is running (nothing is started). */
  peek(lab: string): ClusterWatcher | undefined {
    return this.watchers.get(lab)?.watcher;
  }

  dispose(): void {
    for (const e of this.watchers.values()) {
      if (e.idle) clearTimeout(e.idle);
      e.watcher.stop();
    }
    this.watchers.clear();
  }
}
