/**
 * The images a lab needs, built by the project and tagged with the app's version:
 * node (dind), web (which replica answered), registry (distribution), nfs (NFS-Ganesha). Each builds from its
 * Dockerfile where the base image can be pulled, or fully offline from Debian packages
 * (resources/images/NAME/build-offline.sh) where no registry is reachable.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { withTimeout } from '../docker/client.js';
import { packageRoot, appVersion } from '../version.js';

export const IMAGE_NAMES = ['node', 'web', 'registry', 'nfs'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

const BASE_IMAGES: Record<ImageName, string> = {
  node: 'debian:bookworm-slim',
  web: 'busybox:1.36',
  registry: 'registry:2.8',
  nfs: 'debian:bookworm-slim',
};

export const imageRef = (name: ImageName, version = appVersion): string => `swarm-lab/${name}:${version}`;

export interface ImageStatus {
  name: ImageName;
  ref: string;
  present: boolean;
  id?: string;
  sizeBytes?: number;
  created?: string;
  build?: string;
}

export interface BuildProgress {
  image: ImageName;
  message: string;
  elapsedMs: number;
}

export class ImageBuildError extends Error {}

export interface ImageBuilderOptions {
  version?: string;
  recipesDir?: string;
  /** Where offline builds keep downloaded packages and root filesystems. */
  cacheDir?: string;
  /** Force a build method (SWARM_LAB_IMAGE_BUILD). */
  method?: 'offline' | 'dockerfile';
}

export function defaultCacheDir(): string {
  if (process.getuid?.() === 0) return '/var/cache/swarm-lab';
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'swarm-lab');
}

export class ImageBuilder {
  private readonly version: string;
  private readonly recipesDir: string;
  private readonly cacheDir: string;
  private readonly method?: 'offline' | 'dockerfile';
  private readonly building = new Map<ImageName, Promise<ImageStatus>>();

  constructor(
    private readonly docker: Docker,
    options: ImageBuilderOptions = {},
  ) {
    this.version = options.version ?? appVersion;
    this.recipesDir = options.recipesDir ?? join(packageRoot, 'resources', 'images');
    this.cacheDir = options.cacheDir ?? defaultCacheDir();
    const forced = options.method ?? process.env.SWARM_LAB_IMAGE_BUILD;
    this.method = forced === 'offline' || forced === 'dockerfile' ? forced : undefined;
  }

  ref(name: ImageName): string {
    return imageRef(name, this.version);
  }

  async status(name: ImageName): Promise<ImageStatus> {
    const ref = this.ref(name);
    try {
      const i = await this.docker.getImage(ref).inspect();
      return { name, ref, present: true, id: i.Id, sizeBytes: i.Size, created: i.Created, build: i.Config?.Labels?.['io.swarmlab.build'] };
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return { name, ref, present: false };
      throw e;
    }
  }

  list(): Promise<ImageStatus[]> {
    return Promise.all(IMAGE_NAMES.map((n) => this.status(n)));
  }

  /** Builds the named images that are missing (all of them with `force`), one after another. */
  async ensure(
    names: readonly ImageName[],
    options: { force?: boolean; onProgress?: (p: BuildProgress) => void; signal?: AbortSignal } = {},
  ): Promise<ImageStatus[]> {
    const out: ImageStatus[] = [];
    for (const name of names) {
      const current = await this.status(name);
      if (current.present && !options.force) {
        out.push(current);
        continue;
      }
      let job = this.building.get(name);
      if (!job) {
        job = this.build(name, options).finally(() => this.building.delete(name));
        this.building.set(name, job);
      }
      out.push(await job);
    }
    return out;
  }

  private async build(name: ImageName, options: { onProgress?: (p: BuildProgress) => void; signal?: AbortSignal }): Promise<ImageStatus> {
    const started = Date.now();
    const note = (message: string): void => options.onProgress?.({ image: name, message, elapsedMs: Date.now() - started });
    const method = this.method ?? ((await this.baseImageAvailable(name, note)) ? 'dockerfile' : 'offline');
    if (method === 'dockerfile') await this.buildFromDockerfile(name, note);
    else await this.buildOffline(name, note, options.signal);
    const s = await this.status(name);
    if (!s.present) throw new ImageBuildError(`Building ${s.ref} finished but the image is not there.`);
    note(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return s;
  }

  private async baseImageAvailable(name: ImageName, note: (m: string) => void): Promise<boolean> {
    const base = BASE_IMAGES[name];
    try {
      await this.docker.getImage(base).inspect();
      return true;
    } catch {
      /* try to pull it */
    }
    note(`pulling ${base}`);
    try {
      const stream = await withTimeout(`Pulling ${base}`, 20_000, this.docker.pull(base) as Promise<NodeJS.ReadableStream>);
      await new Promise<void>((resolve, reject) => this.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
      return true;
    } catch (e) {
      note(`${base} cannot be pulled (${(e as Error).message.split('\n')[0]}); building offline from Debian packages`);
      return false;
    }
  }

  private async buildFromDockerfile(name: ImageName, note: (m: string) => void): Promise<void> {
    const dir = join(this.recipesDir, name);
    const src = readdirSync(dir).filter((f) => f !== 'build-offline.sh');
    note(`docker build from ${BASE_IMAGES[name]}`);
    const stream = await this.docker.buildImage({ context: dir, src }, { t: this.ref(name), buildargs: { VERSION: this.version }, rm: true });
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, out: { error?: string }[]) => {
          const failed = err?.message ?? out.find((o) => o.error)?.error;
          if (failed) reject(new ImageBuildError(`Building ${this.ref(name)} from its Dockerfile failed: ${failed}`));
          else resolve();
        },
        (event: { stream?: string }) => {
          const line = event.stream?.trim();
          if (line?.startsWith('Step ')) note(line);
        },
      );
    });
  }

  private buildOffline(name: ImageName, note: (m: string) => void, signal?: AbortSignal): Promise<void> {
    const script = join(this.recipesDir, name, 'build-offline.sh');
    if (process.platform !== 'linux') {
      return Promise.reject(
        new ImageBuildError(
          `${this.ref(name)} cannot be built: its base image ${BASE_IMAGES[name]} cannot be pulled, and the offline build needs Linux. Connect Docker to a registry (or load ${BASE_IMAGES[name]} with "docker load") and try again.`,
        ),
      );
    }
    if (process.getuid?.() !== 0) {
      return Promise.reject(
        new ImageBuildError(
          `${this.ref(name)} cannot be built: its base image ${BASE_IMAGES[name]} cannot be pulled, and the offline build (debootstrap) must run as root. Run "sudo swarm-lab images build", or give Docker access to a registry.`,
        ),
      );
    }
    if (!existsSync(script)) return Promise.reject(new ImageBuildError(`The recipe ${script} is missing; reinstall Swarm Lab.`));
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [script, this.ref(name), this.version], {
        env: { ...process.env, CACHE_DIR: this.cacheDir },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let errTail = '';
      let outBuf = '';
      child.stdout.on('data', (d: Buffer) => {
        outBuf += d.toString();
        let nl: number;
        while ((nl = outBuf.indexOf('\n')) >= 0) {
          const line = outBuf.slice(0, nl);
          outBuf = outBuf.slice(nl + 1);
          if (line.startsWith('>> ')) note(line.slice(3));
        }
      });
      child.stderr.on('data', (d: Buffer) => {
        errTail = (errTail + d.toString()).slice(-2000);
      });
      const onAbort = (): void => {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          /* already gone */
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => reject(new ImageBuildError(`Could not run ${script}: ${e.message}`)));
      child.on('exit', (code) => {
        signal?.removeEventListener('abort', onAbort);
        if (code === 0) resolve();
        else if (signal?.aborted) reject(new ImageBuildError(`Building ${this.ref(name)} was cancelled.`));
        else reject(new ImageBuildError(`Building ${this.ref(name)} offline failed (exit ${code}): ${errTail.trim().split('\n').slice(-3).join(' ') || 'no output'}`));
      });
    });
  }
}
