/**
 * Giving the event loop a turn during long loops (fit, evaluate, predict), so that timers, I/O
 * and other requests of a server, or a page's rendering, go on while a model trains. Awaiting a
 * promise alone does not do it (microtasks run before any timer); a macrotask is needed:
 * setImmediate where it exists (Node, Bun, Deno), else a MessageChannel message (browsers, not
 * clamped like setTimeout(0), which waits ~1-4 ms). A turn is taken only once `yieldEveryMs` has
 * passed since the last one, so loops of many short steps do not pay for a turn per step.
 */

/**
 * At most this long without a turn. A turn itself takes ~0.3 ms, but it also lets V8 start
 * background work (collection) on the cores the kernel pool is using: measured on the MNIST
 * convnet (2 cores, 36 ms steps, bench/fit-yield.ts), a turn every 5 ms cost 5% of step time and
 * one every 50 ms 1.3% (with one kernel thread, neither costs anything). TensorFlow.js's fit
 * yields every 125 ms; 50 ms keeps timers and requests within about one step of that.
 */
let yieldEveryMs = 50;

/** Sets the longest stretch without a turn (Infinity: never yield); bench/ compares both. Returns the old value. */
export function setYieldEveryMs(ms: number): number {
  const old = yieldEveryMs;
  yieldEveryMs = ms;
  return old;
}

type Scheduler = (resume: () => void) => void;

function macrotaskScheduler(): Scheduler {
  const g = globalThis as unknown as {
    setImmediate?: (fn: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } };
  };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (resume) => {
      setImmediate(resume);
    };
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return (resume) => {
      waiting.push(resume);
      channel.port2.postMessage(null);
    };
  }
  return (resume) => {
    setTimeout(resume, 0);
  };
}

let schedule: Scheduler | null = null;

/** A loop's turn-taker: `await turns.maybeYield()` between steps. */
export class EventLoopTurns {
  private last = performance.now();

  /** Yields to the event loop if `yieldEveryMs` passed since the last turn (or since creation). */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < yieldEveryMs) return;
    schedule ??= macrotaskScheduler();
    await new Promise<void>((resume) => (schedule as Scheduler)(resume));
    this.last = performance.now();
  }
}
