/**
 * A probe image the app builds itself, so the doctor can start a container on an engine that has no
 * images and no registry: one static executable, `/probe`, that exits 0 (about 130 bytes).
 */
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { withTimeout } from './client.js';

export const PROBE_IMAGE = 'swarm-lab/probe:1';
export const PROBE_LABEL = 'io.swarmlab.probe';

const BASE = 0x400000n;
const HEADER = 64 + 56;

const CODE: Record<string, { machine: number; code: number[] }> = {
  // mov eax, 60 (exit); xor edi, edi; syscall
  x86_64: { machine: 0x3e, code: [0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05] },
  // mov x8, #93 (exit); mov x0, #0; svc #0
  aarch64: { machine: 0xb7, code: [0xa8, 0x0b, 0x80, 0xd2, 0x00, 0x00, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4] },
};

/** Maps Docker's and Node's architecture names to ours. */
export function normalizeArch(arch: string): string | undefined {
  const a = arch.toLowerCase();
  if (a === 'x86_64' || a === 'amd64' || a === 'x64') return 'x86_64';
  if (a === 'aarch64' || a === 'arm64') return 'aarch64';
  return undefined;
}

/** A minimal static ELF64 executable for Linux that calls exit(0). */
export function exitZeroElf(arch: string): Buffer {
  const target = CODE[normalizeArch(arch) ?? ''];
  if (!target) throw new Error(`The probe has no build for the ${arch} architecture.`);
  const size = HEADER + target.code.length;
  const b = Buffer.alloc(size);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // magic, 64-bit, little endian, version 1, SysV
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(target.machine, 18);
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(BASE + BigInt(HEADER), 24); // entry
  b.writeBigUInt64LE(64n, 32); // program headers right after this header
  b.writeUInt16LE(64, 52); // header size
  b.writeUInt16LE(56, 54); // program header size
  b.writeUInt16LE(1, 56); // one program header
  // PT_LOAD, R+X, the whole file at BASE
  b.writeUInt32LE(1, 64);
  b.writeUInt32LE(5, 68);
  b.writeBigUInt64LE(0n, 72);
  b.writeBigUInt64LE(BASE, 80);
  b.writeBigUInt64LE(BASE, 88);
  b.writeBigUInt64LE(BigInt(size), 96);
  b.writeBigUInt64LE(BigInt(size), 104);
  b.writeBigUInt64LE(0x1000n, 112);
  b.set(target.code, HEADER);
  return b;
}

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}

/** Imports the probe image unless the engine already has it. */
export async function ensureProbeImage(docker: Docker, engineArch: string): Promise<void> {
  if (await imageExists(docker, PROBE_IMAGE)) return;
  const pack = tar.pack();
  pack.entry({ name: 'probe', mode: 0o755 }, exitZeroElf(engineArch));
  pack.finalize();
  const [repo, tag] = PROBE_IMAGE.split(':') as [string, string];
  const importing = docker.importImage(pack as unknown as NodeJS.ReadableStream, {
    repo,
    tag,
    changes: [`LABEL ${PROBE_LABEL}=1`, 'CMD ["/probe"]'],
  } as never) as unknown as Promise<NodeJS.ReadableStream>;
  const stream = await withTimeout('Importing the probe image', 30_000, importing);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}
