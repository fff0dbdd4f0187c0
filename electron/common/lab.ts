/**
 * Practice labs: the spec a user asks for, the names and labels of what the engine creates, and the
 * state the app derives from those labelled objects (never from a side file).
 */
import { z } from 'zod';
import { parseCidr } from './cidr.js';

export const LABEL = {
  lab: 'io.swarmlab.lab',
  node: 'io.swarmlab.node',
  role: 'io.swarmlab.role',
  spec: 'io.swarmlab.spec',
  network: 'io.swarmlab.network',
  version: 'io.swarmlab.version',
} as const;

export const labName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a lab name is 1–32 characters: lower-case letters, digits and "-", not starting with "-"');

export const nodeName = z.string().regex(/^(manager|worker)[1-9][0-9]?$/, 'node names are manager1…managerN and worker1…workerN');

const cidr = z.string().refine((s) => parseCidr(s) !== undefined, 'expected an IPv4 subnet such as 172.28.0.0/24');

export const PRESETS = {
  '1m2w': { managers: 1, workers: 2 },
  '3m2w': { managers: 3, workers: 2 },
  '5m': { managers: 5, workers: 0 },
  '1m1w': { managers: 1, workers: 1 },
} as const;
export type PresetName = keyof typeof PRESETS;
export const presetName = z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]);

export const nodeOptions = z.object({
  /** Swarm node labels (docker node update --label-add), for placement constraints. */
  labels: z.record(z.string().min(1), z.string()).default({}),
  /** Memory limit of the node container, in MiB. */
  memoryMb: z.number().int().min(128).max(65536).optional(),
  /** A second network interface (to reproduce swarm init's --advertise-addr error). */
  secondInterface: z.boolean().default(false),
  insecureRegistries: z.array(z.string().min(1)).default([]),
  registryMirrors: z.array(z.string().url()).default([]),
});
export type NodeOptions = z.infer<typeof nodeOptions>;

export const labSpec = z.object({
  name: labName.default('lab'),
  managers: z.number().int().min(1, 'a lab needs at least 1 manager').max(7, 'a lab has at most 7 managers'),
  workers: z.number().int().min(0).max(20, 'a lab has at most 20 workers'),
  /** Node image; the app's own node image of this version when absent. */
  image: z.string().min(1).optional(),
  /** Form the swarm; false leaves `docker swarm init` to the learner. */
  init: z.boolean().default(true),
  swarm: z
    .object({
      dispatcherHeartbeatSeconds: z.number().int().min(1).max(300).optional(),
      defaultAddrPool: z.array(cidr).optional(),
      subnetSize: z.number().int().min(16).max(29).optional(),
    })
    .default({}),
  nodes: z.record(nodeName, nodeOptions).default({}),
  /** The lab network's subnet; picked to avoid every host route and Docker network when absent. */
  subnet: cidr.optional(),
  /** Start sshd in every node (for the SSH lessons). */
  sshd: z.boolean().default(false),
  /**
   * Host images loaded into every node once its Docker daemon is up, and into nodes added later: no
   * node can pull. A lesson image may be named short ("web", "registry", "nfs"): the app's own of
   * this version, built on the host when missing.
   */
  images: z.array(z.string().trim().min(1, 'an image to load needs a name')).default([]),
});
export type LabSpec = z.infer<typeof labSpec>;
export type LabSpecInput = z.input<typeof labSpec>;

export type Role = 'manager' | 'worker';

export function nodeNames(spec: Pick<LabSpec, 'managers' | 'workers'>): { name: string; role: Role }[] {
  return [
    ...Array.from({ length: spec.managers }, (_, i) => ({ name: `manager${i + 1}`, role: 'manager' as const })),
    ...Array.from({ length: spec.workers }, (_, i) => ({ name: `worker${i + 1}`, role: 'worker' as const })),
  ];
}

/** Docker object names. A node's container is named after the lab and the node; its hostname is the node name. */
export const containerName = (lab: string, node: string): string => `${lab}-${node}`;
export const networkName = (lab: string): string => `swarmlab-${lab}`;
export const secondNetworkName = (lab: string): string => `swarmlab-${lab}-net2`;
export const volumeName = (lab: string, node: string): string => `swarmlab-${lab}-${node}`;

export const nodeStatus = z.enum(['running', 'paused', 'stopped', 'missing']);

export const labNode = z.object({
  name: z.string(),
  role: z.enum(['manager', 'worker']),
  container: z.string(),
  containerId: z.string(),
  status: nodeStatus,
  address: z.string().nullable(),
  /** Addresses on the second network, when the node has one. */
  secondAddress: z.string().nullable(),
  disconnected: z.boolean(),
});
export type LabNode = z.infer<typeof labNode>;

export const labState = z.enum(['running', 'stopped', 'partial', 'incomplete']);

export const labSummary = z.object({
  name: z.string(),
  state: labState,
  spec: labSpec.nullable(),
  subnet: z.string().nullable(),
  network: z.string(),
  nodes: z.array(labNode),
  privileges: z.enum(['privileged', 'fallback']).nullable(),
  image: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type LabSummary = z.infer<typeof labSummary>;

export const faultAction = z.enum([
  'kill',
  'stop',
  'start',
  'pause',
  'unpause',
  'disconnect',
  'reconnect',
  'restart-daemon',
  'netem',
  'drain',
  'activate',
  'promote',
  'demote',
]);
export type FaultAction = z.infer<typeof faultAction>;

export const netemOptions = z.object({
  delayMs: z.number().int().min(0).max(60_000).optional(),
  jitterMs: z.number().int().min(0).max(60_000).optional(),
  lossPercent: z.number().min(0).max(100).optional(),
  /** Removes any netem settings. */
  clear: z.boolean().optional(),
});
export type NetemOptions = z.infer<typeof netemOptions>;

/** Progress of long lab operations, per step and per node. */
export const labProgress = z.object({
  step: z.string(),
  node: z.string().optional(),
  message: z.string(),
  /** 0..1 where measurable (image loads). */
  fraction: z.number().min(0).max(1).optional(),
  elapsedMs: z.number(),
});
export type LabProgress = z.infer<typeof labProgress>;
