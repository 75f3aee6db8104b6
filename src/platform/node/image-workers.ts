/** Image decoding on worker_threads (Node only). (Browser twin: ../browser/image-workers.ts.) */
export { defaultWorkerCount, loadImages } from '../../data/workers/pool.js';
