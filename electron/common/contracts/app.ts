/**
 * The application's RPC contract: one section per feature. Later features add their sections here.
 */
import { z } from 'zod';
import { defineContract, event, method } from '../rpc/contract.js';
import { doctorCheck, doctorReport } from '../doctor.js';

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
});
export type AppContract = typeof appContract;
