/**
 * A small pool of worker threads that decode and augment images off the main thread. Workers are
 * started lazily, shared by all iterators, hold the process open only while they have work, and
 * are replaced if one dies (its pending tasks fail with the reason instead of hanging).
 */
import type { Worker as WorkerType } from 'node:worker_threads';
import type { ImageTask, ImageTaskResult } from './image-task.js';

interface Slot {
  worker: WorkerType;
  pending: Map<number, { resolve: (r: ImageTaskResult) => void; reject: (e: Error) => void }>;
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
  private cursor = 0;

  constructor(public size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`ImageWorkerPool: size must be a positive integer, received ${size}.`);
  }

  run(task: ImageTask): Promise<ImageTaskResult> {
    const slot = this.pickSlot();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, task });
    });
  }

  /** Stops every worker; pending tasks fail. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) this.failAll(s, new Error('image worker pool closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pickSlot(): Slot {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    // Least loaded first, round robin among equals.
    let best = this.slots[this.cursor % this.slots.length] as Slot;
    for (const s of this.slots) if (s.pending.size < best.pending.size) best = s;
    this.cursor++;
    return best;
  }

  private spawn(): Slot {
    const worker = startWorker();
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on(
      'message',
      (msg: { id: number; ok: boolean; data?: Float32Array; shape?: [number, number, number]; message?: string }) => {
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        if (slot.pending.size === 0) worker.unref();
        if (msg.ok) p.resolve({ data: msg.data as Float32Array, shape: msg.shape as [number, number, number] });
        else p.reject(new Error(msg.message));
      },
    );
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
