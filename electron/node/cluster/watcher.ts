/**
 * Keeps one cluster model live: asks every manager in parallel (each call with a short timeout that
 * aborts it), takes the first that answers, and re-reads at once when a manager's event stream
 * reports a change. A dead or hung leader never freezes the model: followers are asked too, and
 * when none answers the model says so (no leader / unreachable) instead of passing stale data off as
 * fresh. Every change leaves as a diff and lands in a bounded timeline with its time in ms.
 */
import {
  buildState,
  diffStates,
  emptyState,
  Timeline,
  type ApiNetwork,
  type ApiNode,
  type ApiService,
  type ApiTask,
  type ClusterChange,
  type ClusterState,
  type TimelineEntry,
} from '../../common/cluster.js';
import { EngineApiError, EngineTimeoutError, type EngineApi } from './engine-api.js';

export interface ManagerSource {
  /**
   * The managers to ask now. `known` names the managers of the last good read (empty before the
   * first), so a source can include nodes promoted since, and skip workers.
   */
  managers(known: string[]): Promise<EngineApi[]>;
  /**
   * Follows signs that the swarm has just changed its leader (a practice lab's daemons log each
   * raft election) and calls `onHint` for each; returns a function that stops following. Optional:
   * without it a hung manager is asked again only every `hungRetryMs`.
   */
  hints?(onHint: () => void): () => void;
}

export interface WatcherOptions {
  /** Reconciling poll while the event stream is connected. */
  restPollMs?: number;
  /** Poll while something is wrong (no events, a manager failed). */
  degradedPollMs?: number;
  callTimeoutMs?: number;
  /**
   * Timeout of a round's first call while degraded. During a leader election every manager's
   * answer hangs until a new leader serves; a degraded round waits at most degradedPollMs for an
   * answer, so fresh probes start about every 2 × degradedPollMs while earlier ones still hang, and
   * the model sees the new leader within about that much of it serving.
   */
  degradedProbeTimeoutMs?: number;
  /** Probes that may hang on one manager at once. */
  maxProbesPerManager?: number;
  /**
   * A manager that has not answered its last probe is asked again only this long after it, and
   * the rounds between wait on the question already asked. A daemon keeps a request made during an
   * election for its own 20 s timeout, whether or not the client is still there, and through
   * dial-stdio each of those requests is a process in the node; asking every round piled up dozens.
   * A hint from the source (a leader elected) lifts the limit for `hintMs`, so the new leader is
   * still seen within a poll interval or two.
   */
  hungRetryMs?: number;
  hintMs?: number;
  timelineCapacity?: number;
  now?: () => number;
}

export type ChangeListener = (changes: ClusterChange[], state: ClusterState, entries: TimelineEntry[]) => void;

const EVENT_TYPES = encodeURIComponent(JSON.stringify({ type: ['node', 'service', 'secret', 'config', 'network'] }));

export class ClusterWatcher {
  state: ClusterState;
  readonly timeline: Timeline;
  private readonly listeners = new Set<ChangeListener>();
  private readonly inflight = new Map<string, number>();
  private readonly opts: Required<Omit<WatcherOptions, 'now' | 'timelineCapacity'>>;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private running = false;
  /** stop() was called: late answers are dropped (a watcher never started still serves refresh()). */
  private stopped = false;
  private round?: Promise<void>;
  /** Resolves when the state reflects the latest round started (see refresh). */
  private roundRead?: Promise<void>;
  private again = false;
  private stopEvents?: () => void;
  private eventsFrom?: string;
  private degraded = true;
  private apiCalls = 0;
  private lastRaw?: Parameters<typeof buildState>[0];
  private readonly warmedAt = new Map<string, number>();
  private readonly warming = new Set<string>();
  /** Rounds started, the newest that found a manager to answer, and the newest whose read was published. */
  private rounds = 0;
  private lastGoodRound = 0;
  private publishedRound = 0;
  /** Per manager, its last probe while that has not answered: pending, or timed out. */
  private readonly unanswered = new Map<string, { at: number; pending?: Promise<ApiNode[]>; timedOut?: Error }>();
  private hintedUntil = 0;
  private stopHints?: () => void;
  private hintCount = 0;

  constructor(
    private readonly source: ManagerSource,
    options: WatcherOptions = {},
  ) {
    this.opts = {
      restPollMs: options.restPollMs ?? 1000,
      degradedPollMs: options.degradedPollMs ?? 150,
      callTimeoutMs: options.callTimeoutMs ?? 2000,
      degradedProbeTimeoutMs: options.degradedProbeTimeoutMs ?? 1000,
      maxProbesPerManager: options.maxProbesPerManager ?? 8,
      hungRetryMs: options.hungRetryMs ?? 2000,
      hintMs: options.hintMs ?? 2000,
    };
    this.now = options.now ?? Date.now;
    this.state = emptyState(this.now());
    this.timeline = new Timeline(options.timelineCapacity ?? 5000);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Engine API calls made so far (for cost measurements). */
  get calls(): number {
    return this.apiCalls;
  }

  /** Hints from the source taken so far (leaders elected, in a lab). */
  get hints(): number {
    return this.hintCount;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.stopHints = this.source.hints?.(() => this.hinted());
    this.schedule(0);
  }

  /** The swarm has probably just elected a leader: ask every manager afresh for a while. */
  private hinted(): void {
    if (!this.running) return;
    this.hintCount++;
    this.hintedUntil = this.now() + this.opts.hintMs;
    this.unanswered.clear();
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stopHints?.();
    this.stopHints = undefined;
    this.stopEvents?.();
    this.stopEvents = undefined;
    this.eventsFrom = undefined;
  }

  /**
   * Reads the cluster now (coalesced with a round already under way); resolves once the state
   * reflects that read: published, or every manager failed (a late answer included).
   */
  refresh(): Promise<void> {
    this.startRound();
    return this.roundRead!;
  }

  /**
   * Starts a round unless one is under way (then another follows it). The returned promise ends when
   * the next round may start, which while degraded can be before this one's late answers arrive.
   */
  private startRound(): Promise<void> {
    if (this.round) {
      this.again = true;
      return this.round;
    }
    let read!: () => void;
    this.roundRead = new Promise<void>((r) => (read = r));
    this.round = this.readOnce(read).finally(() => {
      this.round = undefined;
      if (this.again) {
        this.again = false;
        void this.startRound();
      }
    });
    return this.round;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.startRound().finally(() => this.schedule(this.degraded || !this.stopEvents ? this.opts.degradedPollMs : this.opts.restPollMs));
    }, ms);
  }

  private call<T>(api: EngineApi, path: string, timeoutMs = this.opts.callTimeoutMs): Promise<T> {
    this.apiCalls++;
    return api.get<T>(path, timeoutMs);
  }

  /**
   * The round's first call to a manager (its nodes). A manager whose last probe has not answered is
   * not asked again within hungRetryMs of it (see there): the round shares that probe's outcome.
   */
  private probe(api: EngineApi): Promise<ApiNode[]> {
    const now = this.now();
    const last = this.unanswered.get(api.name);
    if (last && now - last.at < this.opts.hungRetryMs && now >= this.hintedUntil) return last.pending ?? Promise.reject(last.timedOut);
    const n = this.inflight.get(api.name) ?? 0;
    if (n >= this.opts.maxProbesPerManager) return Promise.reject(new EngineTimeoutError(`${api.name} (earlier calls still hang)`, this.opts.callTimeoutMs));
    this.inflight.set(api.name, n + 1);
    const entry: { at: number; pending?: Promise<ApiNode[]>; timedOut?: Error } = { at: now };
    const answered = (): void => {
      if (this.unanswered.get(api.name) === entry) this.unanswered.delete(api.name);
    };
    entry.pending = this.call<ApiNode[]>(api, '/nodes', this.degraded ? this.opts.degradedProbeTimeoutMs : this.opts.callTimeoutMs)
      .then(
        (nodes) => {
          answered();
          return nodes;
        },
        (error: Error) => {
          entry.pending = undefined;
          if (error instanceof EngineTimeoutError) entry.timedOut = error;
          else answered();
          throw error;
        },
      )
      .finally(() => this.inflight.set(api.name, (this.inflight.get(api.name) ?? 1) - 1));
    this.unanswered.set(api.name, entry);
    return entry.pending;
  }

  /** One round; calls `read` once the state reflects it (see refresh), which may be after it returns. */
  private async readOnce(read: () => void): Promise<void> {
    let managers: EngineApi[];
    try {
      managers = await this.source.managers(this.state.nodes.filter((n) => n.role === 'manager').map((n) => n.name));
    } catch (e) {
      this.publish({ ...this.state, health: 'unreachable', message: `Cannot list the managers: ${(e as Error).message}` });
      this.degraded = true;
      read();
      return;
    }
    if (!managers.length) {
      this.publish({ ...this.state, health: 'unreachable', message: 'No manager is running.', quorum: { ...this.state.quorum, reachable: 0, lost: true } });
      this.degraded = true;
      read();
      return;
    }
    // While degraded, keep a warm connection to every manager, so that the probe that first finds
    // a new leader does not also pay for setting up its connection. A daemon that is still starting
    // holds even a ping: one at a time, as with probes.
    if (this.degraded) {
      const now = this.now();
      for (const api of managers) {
        if (now - (this.warmedAt.get(api.name) ?? 0) < 500 || this.warming.has(api.name)) continue;
        this.warmedAt.set(api.name, now);
        this.warming.add(api.name);
        this.apiCalls++;
        api
          .warm(this.opts.hungRetryMs)
          .catch(() => undefined)
          .finally(() => this.warming.delete(api.name));
      }
    }
    // Every manager at once; the first good answer wins. While degraded a round waits at most
    // degradedPollMs for it, so the next round starts fresh probes while earlier ones still hang on
    // an election; an answer that comes later is still used, as a round of its own.
    const round = ++this.rounds;
    const errors: { name: string; error: Error }[] = [];
    const winner = await new Promise<{ api: EngineApi; nodes: ApiNode[] } | undefined | 'waiting'>((resolve) => {
      let pending = managers.length;
      let ended: 'won' | 'failed' | 'waiting' | undefined;
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: { api: EngineApi; nodes: ApiNode[] } | undefined | 'waiting'): void => {
        if (ended) return;
        ended = outcome === 'waiting' ? 'waiting' : outcome ? 'won' : 'failed';
        if (timer) clearTimeout(timer);
        resolve(outcome);
      };
      if (this.degraded) timer = setTimeout(() => settle('waiting'), this.opts.degradedPollMs);
      // Late outcomes matter only for a round that stopped waiting, and only if nothing newer answered.
      const lateAndUnanswered = (): boolean => ended === 'waiting' && !this.stopped && this.lastGoodRound < round;
      for (const api of managers) {
        this.probe(api).then(
          (nodes) => {
            if (!ended) settle({ api, nodes });
            else if (lateAndUnanswered()) void this.readRest(round, api, nodes, errors).finally(read);
            else if (ended === 'waiting' && (this.stopped || this.lastGoodRound > round)) read(); // stopped, or a newer round answered
          },
          (error: Error) => {
            errors.push({ name: api.name, error });
            if (--pending > 0) return;
            if (!ended) settle(undefined);
            else if (ended === 'waiting') {
              if (lateAndUnanswered()) this.noWinner(errors);
              read();
            }
          },
        );
      }
    });
    if (winner === 'waiting') return; // `read` is called by the late outcome
    if (!winner) this.noWinner(errors);
    else await this.readRest(round, winner.api, winner.nodes, errors);
    read();
  }

  /**
   * A manager answered round `round` with its nodes: reads the rest through it and publishes. A late
   * answer runs this beside newer rounds: it is dropped when a newer read started before it, and its
   * result when a newer read was published first.
   */
  private async readRest(round: number, api: EngineApi, nodes: ApiNode[], errors: { name: string; error: Error }[]): Promise<void> {
    if (this.lastGoodRound > round) return; // a newer round is already reading
    this.lastGoodRound = round;
    // Recovering (an election just ended, a manager came back): show the nodes at once, with the
    // services and tasks of the last good read, before reading the rest.
    if (this.degraded && this.lastRaw && this.publishedRound < round) {
      this.publish(buildState({ ...this.lastRaw, nodes }, { observedAt: this.now(), source: api.name }));
    }
    try {
      const [services, tasks, networks, secrets, configs] = await Promise.all([
        this.call<ApiService[]>(api, '/services'),
        this.call<ApiTask[]>(api, '/tasks'),
        this.call<ApiNetwork[]>(api, `/networks?filters=${encodeURIComponent(JSON.stringify({ scope: ['swarm'] }))}`),
        this.call<{ ID: string; Spec?: { Name?: string } }[]>(api, '/secrets'),
        this.call<{ ID: string; Spec?: { Name?: string } }[]>(api, '/configs'),
      ]);
      if (this.publishedRound > round) return; // a newer read got there first
      this.publishedRound = round;
      this.lastRaw = { nodes, services, tasks, networks, secrets, configs };
      const next = buildState(this.lastRaw, { observedAt: this.now(), source: api.name });
      this.degraded = errors.length > 0;
      this.publish(next);
      this.watchEvents(api);
    } catch {
      this.degraded = true; // the next round tries again, maybe through another manager
    }
  }

  /** Every manager failed to answer: says why, keeping the last state's objects. */
  private noWinner(errors: { name: string; error: Error }[]): void {
    this.degraded = true;
    const noLeader = errors.some((e) => e.error instanceof EngineApiError && /leader|quorum/i.test(e.error.message));
    const notSwarm = errors.every((e) => e.error instanceof EngineApiError && /not a swarm manager|not part of a swarm/i.test(e.error.message));
    const message = noLeader
      ? 'The swarm has no leader: too few managers are reachable (quorum is lost).'
      : notSwarm
        ? 'No node is a swarm manager: the swarm is not initialised yet ("docker swarm init").'
        : `No manager answers: ${[...errors]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((e) => `${e.name}: ${e.error.message}`)
            .join('; ')
            .replace(/\.$/, '')}. Check that the managers are running and not paused; the swarm shows again as soon as one answers.`;
    this.publish({
      ...this.state,
      health: noLeader ? 'noLeader' : 'unreachable',
      message,
      quorum: { ...this.state.quorum, lost: true, reachable: noLeader ? this.state.quorum.reachable : 0 },
    });
  }

  private watchEvents(api: EngineApi): void {
    if (this.eventsFrom === api.name && this.stopEvents) return;
    this.stopEvents?.();
    this.eventsFrom = api.name;
    this.apiCalls++;
    const stop = api.events(
      `filters=${EVENT_TYPES}`,
      () => void this.startRound(),
      () => {
        if (this.stopEvents === stop) {
          this.stopEvents = undefined;
          this.eventsFrom = undefined;
          this.degraded = true;
          this.schedule(0);
        }
      },
    );
    this.stopEvents = stop;
  }

  private publish(next: ClusterState): void {
    const prev = this.state;
    const changes = diffStates(prev, next);
    this.state = next;
    if (!changes.length) return;
    const entries = this.timeline.record(this.now(), changes, prev, next);
    for (const l of [...this.listeners]) l(changes, next, entries);
  }
}
