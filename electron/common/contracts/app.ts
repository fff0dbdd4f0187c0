/**
 * The application's RPC contract: one section per feature. Later features add their sections here.
 */
import { z } from 'zod';
import { defineContract, event, method } from '../rpc/contract.js';
import { doctorCheck, doctorReport } from '../doctor.js';
import { clusterChange, clusterState, timelineEntry } from '../cluster.js';
import { faultAction, labProgress, labSpec, labSummary, netemOptions } from '../lab.js';
import { terminalFeature } from './terminal.js';

const labRef = z.object({ name: z.string() });
const imageStatus = z.object({
  name: z.string(),
  ref: z.string(),
  present: z.boolean(),
  id: z.string().optional(),
  sizeBytes: z.number().optional(),
  created: z.string().optional(),
  build: z.string().optional(),
});

export const appInfo = z.object({
  name: z.literal('Swarm Lab'),
  version: z.string(),
  /** How the UI reaches the back end. */
  mode: z.enum(['desktop', 'web']),
  platform: z.string(),
  node: z.string(),
  startedAt: z.number(),
});
export type AppInfo = z.infer<typeof appInfo>;

export const appContract = defineContract({
  app: {
    info: method({ params: z.object({}), result: appInfo }),
    /** Liveness: the UI pings to measure round trips and notice a dead link. */
    ping: method({ params: z.object({ sentAt: z.number() }), result: z.object({ sentAt: z.number(), serverTime: z.number() }) }),
  },
  doctor: {
    /** Runs every check; progress carries each check as it completes. */
    run: method({
      params: z.object({ fresh: z.boolean().default(false) }),
      result: doctorReport,
      progress: doctorCheck,
    }),
    /** The latest report whenever one completes (for status bars in every window). */
    onReport: event({ params: z.object({}), payload: doctorReport }),
  },
  lab: {
    list: method({ params: z.object({}), result: z.array(labSummary) }),
    inspect: method({ params: labRef, result: labSummary }),
    /** Creates a practice swarm; progress per step and node; rolled back on failure. */
    create: method({ params: labSpec.partial({ managers: true, workers: true }), result: labSummary, progress: labProgress }),
    stop: method({ params: labRef, result: labSummary, progress: labProgress }),
    start: method({ params: labRef, result: labSummary, progress: labProgress }),
    destroy: method({
      params: labRef,
      result: z.object({ containers: z.number(), networks: z.number(), volumes: z.number() }),
      progress: labProgress,
    }),
    addNode: method({ params: labRef.extend({ role: z.enum(['manager', 'worker']).default('worker') }), result: labSummary, progress: labProgress }),
    removeNode: method({ params: labRef.extend({ node: z.string() }), result: labSummary, progress: labProgress }),
    loadImages: method({
      params: labRef.extend({ images: z.array(z.string().min(1)).min(1) }),
      result: z.array(z.object({ node: z.string(), image: z.string(), loaded: z.boolean() })),
      progress: labProgress,
    }),
    fault: method({
      params: labRef.extend({ node: z.string(), action: faultAction, netem: netemOptions.optional() }),
      result: z.object({ message: z.string() }),
    }),
  },
  cluster: {
    /** The lab's swarm as its managers report it now. */
    state: method({ params: labRef, result: clusterState }),
    /** First the whole state, then every change as a diff with its timeline entries. */
    onChange: event({
      params: labRef,
      payload: z.object({
        state: clusterState.optional(),
        changes: z.array(clusterChange),
        entries: z.array(timelineEntry),
        observedAt: z.number(),
      }),
    }),
    scaleService: method({ params: labRef.extend({ service: z.string().min(1), replicas: z.number().int().min(0).max(1000) }), result: z.object({ message: z.string() }) }),
    forceUpdateService: method({ params: labRef.extend({ service: z.string().min(1) }), result: z.object({ message: z.string() }) }),
    removeService: method({ params: labRef.extend({ service: z.string().min(1) }), result: z.object({ message: z.string() }) }),
    /** The last lines of a service's or a task's logs. */
    logs: method({
      params: labRef.extend({ service: z.string().optional(), task: z.string().optional(), tail: z.number().int().min(1).max(5000).default(200) }),
      result: z.object({ text: z.string() }),
    }),
    /** The timeline (bounded), for export and replay. */
    timeline: method({ params: labRef.extend({ sinceSeq: z.number().int().min(0).default(0) }), result: z.object({ capacity: z.number(), entries: z.array(timelineEntry) }) }),
  },
  terminal: terminalFeature,
  images: {
    list: method({ params: z.object({}), result: z.array(imageStatus) }),
    build: method({
      params: z.object({ names: z.array(z.enum(['node', 'web', 'registry', 'nfs'])).min(1), force: z.boolean().default(false) }),
      result: z.array(imageStatus),
      progress: z.object({ image: z.string(), message: z.string(), elapsedMs: z.number() }),
    }),
  },
});
export type AppContract = typeof appContract;
