/** Worker-thread entry: runs image tasks posted by the pool (see pool.ts). */
import { parentPort } from 'node:worker_threads';
import { loadSharp } from '../image-io.js';
import { type ImageTask, runImageTask } from './image-task.js';

interface Request {
  id: number;
  tasks: ImageTask[];
}

const port = parentPort;
if (port === null) throw new Error('image-worker.ts must run in a worker thread.');

// Several workers share the machine: one libvips thread each instead of one per core each.
loadSharp()
  .then((sharp) => sharp.concurrency(1))
  .catch(() => undefined);

port.on('message', (req: Request) => {
  Promise.all(
    req.tasks.map((task) =>
      runImageTask(task).then(
        (r) => ({ ok: true as const, data: r.data, shape: r.shape }),
        (err: Error) => ({ ok: false as const, message: err.message }),
      ),
    ),
  ).then((results) => {
    const transfer = results.flatMap((r) => (r.ok ? [r.data.buffer as ArrayBuffer] : []));
    port.postMessage({ id: req.id, results }, transfer);
  });
});
