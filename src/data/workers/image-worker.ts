/** Worker-thread entry: runs image tasks posted by the pool (see pool.ts). */
import { parentPort } from 'node:worker_threads';
import { loadSharp } from '../image-io.js';
import { type ImageTask, runImageTask } from './image-task.js';

interface Request {
  id: number;
  task: ImageTask;
}

const port = parentPort;
if (port === null) throw new Error('image-worker.ts must run in a worker thread.');

// Several workers share the machine: one libvips thread each instead of one per core each.
loadSharp()
  .then((sharp) => sharp.concurrency(1))
  .catch(() => undefined);

port.on('message', (req: Request) => {
  runImageTask(req.task).then(
    (result) =>
      port.postMessage({ id: req.id, ok: true, data: result.data, shape: result.shape }, [result.data.buffer as ArrayBuffer]),
    (err: Error) => port.postMessage({ id: req.id, ok: false, message: err.message }),
  );
});
