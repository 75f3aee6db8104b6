/** No worker_threads in a browser: image tasks run on this thread. (Node twin: ../node/image-workers.ts.) */
import { type ImageTask, type ImageTaskResult, runImageTask } from '../../data/workers/image-task.js';

type TaskOutcome = ImageTaskResult | Error;

export function defaultWorkerCount(): number {
  return 0;
}

export function loadImages(tasks: readonly ImageTask[], _workers: number): Promise<TaskOutcome[]> {
  return Promise.all(tasks.map((t) => runImageTask(t).catch((err: Error) => err)));
}
