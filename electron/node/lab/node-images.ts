/**
 * Images in lab nodes. No node can pull, so the images a lab's services run are streamed from the
 * host's engine into each node's (docker save | docker load): at creation (the spec's `images`), into
 * nodes added later, and on request (`swarm-lab load`, Load images… in the app).
 */
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { IMAGE_NAMES, imageRef, type BuildProgress, type ImageBuilder, type ImageName } from '../images/images.js';
import { LabError } from './errors.js';

/** Images a lab may load by their short name: the lesson images (the node image runs the nodes). */
const LESSON_IMAGES: readonly ImageName[] = IMAGE_NAMES.filter((n) => n !== 'node');

/** A lesson image's short name ("web") as this version's ref; any other name as it is. */
export const lessonRef = (name: string): string => (LESSON_IMAGES.includes(name as ImageName) ? imageRef(name as ImageName) : name);

/** An image on the host's engine, to be loaded. */
export interface HostImage {
  ref: string;
  id: string;
  size: number;
}

export interface LoadResult {
  node: string;
  image: string;
  loaded: boolean;
}

/**
 * The host's images of `refs` (short lesson names or refs), checked before anything is created: a
 * lesson image is built when missing, any other must be there already.
 */
export async function hostImages(
  docker: Docker,
  builder: ImageBuilder,
  lab: string,
  refs: readonly string[],
  options: { signal?: AbortSignal; onBuild?: (p: BuildProgress) => void } = {},
): Promise<HostImage[]> {
  const lesson = new Map(LESSON_IMAGES.map((n) => [imageRef(n), n]));
  const out: HostImage[] = [];
  for (const ref of new Set(refs.map(lessonRef))) {
    const name = lesson.get(ref);
    if (name) await builder.ensure([name], { signal: options.signal, onProgress: options.onBuild });
    try {
      const i = await docker.getImage(ref).inspect();
      out.push({ ref, id: i.Id, size: i.Size });
    } catch {
      throw new LabError(
        'IMAGE_NOT_FOUND',
        `The image "${ref}" does not exist on the host's Docker engine, so it cannot be loaded into lab "${lab}". Build or pull it on the host first ("docker images" lists what is there).`,
      );
    }
  }
  return out;
}

/**
 * Streams `images` from the host (`docker`) into one node's engine (`inner`), skipping those it has
 * already (the same image ID). `note` hears each step, with the fraction sent while loading.
 */
export async function loadIntoNode(
  docker: Docker,
  inner: Docker,
  node: string,
  images: readonly HostImage[],
  note: (p: { message: string; fraction: number }) => void,
): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  for (const img of images) {
    const has = await inner.getImage(img.ref).inspect().then(
      (i) => i.Id === img.id,
      () => false,
    );
    if (has) {
      results.push({ node, image: img.ref, loaded: false });
      note({ message: `${img.ref} already present`, fraction: 1 });
      continue;
    }
    note({ message: `loading ${img.ref}`, fraction: 0 });
    const source = (await docker.getImage(img.ref).get()) as NodeJS.ReadableStream;
    const counter = new PassThrough();
    let sent = 0;
    let lastNote = Date.now();
    counter.on('data', (d: Buffer) => {
      sent += d.length;
      if (Date.now() - lastNote > 250) {
        lastNote = Date.now();
        note({ message: `loading ${img.ref}`, fraction: Math.min(1, sent / Math.max(1, img.size)) });
      }
    });
    source.pipe(counter);
    const res = (await inner.loadImage(counter, { quiet: true })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => inner.modem.followProgress(res, (err: Error | null) => (err ? reject(err) : resolve())));
    results.push({ node, image: img.ref, loaded: true });
    note({ message: `${img.ref} loaded`, fraction: 1 });
  }
  return results;
}
