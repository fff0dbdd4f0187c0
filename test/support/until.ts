/** Polls `probe` until `ok` holds for its value (errors count as "not yet"); fails naming `what` and the last value seen. */
export async function until<T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean, ms = 60_000, everyMs = 50): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < end) {
    try {
      last = await probe();
      if (ok(last)) return last;
    } catch (e) {
      error = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what} did not happen within ${ms / 1000} s (last seen: ${JSON.stringify(last)?.slice(0, 300)}${error ? `; last error: ${String(error)}` : ''})`);
}
