/**
 * A small pool of worker threads that decode and augment images off the main thread. Workers are
 * started lazily, shared by all iterators, hold the process open only while they have work, and
 * are replaced if one dies (its pending tasks fail with the reason instead of hanging).
 */
import type { Worker as WorkerType } from 'node:worker_threads';
import { type ImageTask, type ImageTaskResult, runImageTask } from './image-task.js';

/** Each image's result, or the error that image met (other images of the chunk still count). */
export type TaskOutcome = ImageTaskResult | Error;

interface Reply {
  id: number;
  results: ({ ok: true; data: Float32Array; shape: [number, number, number] } | { ok: false; message: string })[];
}

interface Slot {
  worker: WorkerType;
  /** Images in flight, for load balancing. */
  load: number;
  pending: Map<number, { size: number; resolve: (r: TaskOutcome[]) => void; reject: (e: Error) => void }>;
}

type WorkerThreads = typeof import('node:worker_threads');

function builtin<T>(id: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.(id);
  if (mod === undefined) throw new Error(`image workers need Node.js >= 20.16 (process.getBuiltinModule('${id}')).`);
  return mod as T;
}

/** Starts a worker running image-worker (the .js build, or the .ts source through tsx in a checkout). */
function startWorker(): WorkerType {
  const { Worker } = builtin<WorkerThreads>('node:worker_threads');
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const { createRequire } = builtin<typeof import('node:module')>('node:module');
    const { pathToFileURL } = builtin<typeof import('node:url')>('node:url');
    const tsxApi = pathToFileURL(
      createRequire(here)
        .resolve('tsx/esm/api')
        .replace(/index\.cjs$/, 'index.mjs'),
    ).href;
    const entry = new URL('./image-worker.ts', here).href;
    const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); }).catch((e) => { console.error(e); process.exit(1); });`;
    return new Worker(boot, { eval: true });
  }
  return new Worker(new URL('./image-worker.js', here));
}

export class ImageWorkerPool {
  private slots: Slot[] = [];
  private nextId = 0;

  constructor(public size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`ImageWorkerPool: size must be a positive integer, received ${size}.`);
  }

  /**
   * Runs the tasks, split into one contiguous chunk per worker (one message each way per chunk:
   * small images cost little more than their message). Resolves with one outcome per task.
   */
  async runAll(tasks: readonly ImageTask[]): Promise<TaskOutcome[]> {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    const slots = [...this.slots].sort((a, b) => a.load - b.load);
    const per = Math.ceil(tasks.length / slots.length);
    const chunks: Promise<TaskOutcome[]>[] = [];
    for (let k = 0; k * per < tasks.length; k++) chunks.push(this.send(slots[k] as Slot, tasks.slice(k * per, (k + 1) * per)));
    return (await Promise.all(chunks)).flat();
  }

  private send(slot: Slot, tasks: ImageTask[]): Promise<TaskOutcome[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { size: tasks.length, resolve, reject });
      slot.load += tasks.length;
      slot.worker.ref();
      slot.worker.postMessage({ id, tasks });
    });
  }

  /** Stops every worker; pending tasks fail. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) this.failAll(s, new Error('image worker pool closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, load: 0, pending: new Map() };
    worker.unref();
    worker.on('message', (msg: Reply) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      slot.load -= p.size;
      if (slot.pending.size === 0) worker.unref();
      p.resolve(msg.results.map((r) => (r.ok ? { data: r.data, shape: r.shape } : new Error(r.message))));
    });
    const retire = (err: Error): void => {
      this.failAll(slot, err);
      this.slots = this.slots.filter((s) => s !== slot);
    };
    worker.on('error', (err) => retire(new Error(`image worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) retire(new Error(`image worker exited unexpectedly (code ${code})`));
    });
    return slot;
  }

  private failAll(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    slot.load = 0;
  }
}

let shared: ImageWorkerPool | null = null;

/** The process-wide pool, grown when more workers are asked for. */
export function sharedImagePool(size: number): ImageWorkerPool {
  if (shared === null) shared = new ImageWorkerPool(size);
  else if (shared.size < size) shared.size = size;
  return shared;
}

/** Default worker count: leave one core to the training loop, at most 4. */
export function defaultWorkerCount(): number {
  const os = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:os',
  ) as typeof import('node:os') | undefined;
  const cores = os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
  return Math.max(1, Math.min(4, cores - 1));
}

/** Loads every task in worker threads (`workers` > 0) or on this thread; one outcome per task. */
export function loadImages(tasks: readonly ImageTask[], workers: number): Promise<TaskOutcome[]> {
  if (workers > 0) return sharedImagePool(workers).runAll(tasks);
  return Promise.all(tasks.map((t) => runImageTask(t).catch((err: Error) => err)));
}
