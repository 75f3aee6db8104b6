/** What `npm run bench:web` measures, and on which peers (shared by the page and the Node runner). */

export const PEERS = ['capa-wasm-threads', 'capa-wasm-single', 'capa-js', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type Peer = (typeof PEERS)[number];

/** Whether the peer's page is served cross-origin isolated (COOP/COEP): the threads builds need it. */
export function isolatedPage(peer: Peer): boolean {
  return peer !== 'capa-wasm-single';
}

export interface WebWorkload {
  id: 'conv-fwd' | 'mnist-cnn-train' | 'mobilenetv2-fwd' | 'resnet50-fwd';
  title: string;
  /** Time budget per peer (ms): stop repeating once spent (at least one timed run). */
  budgetMs: number;
  /** The budget on the pure-JavaScript peers (capa-js, tfjs-cpu), seconds per run. */
  slowBudgetMs: number;
  /** Floating-point operations of one run, when fixed by the shapes (the models' are counted in the page). */
  flops?: number;
  /** Peers that take minutes per run here: skipped unless --full. */
  slowOn?: readonly Peer[];
}
export type WebWorkloadId = WebWorkload['id'];

export const WEB_WORKLOADS: readonly WebWorkload[] = [
  {
    id: 'conv-fwd',
    title: 'conv2d fwd 8x56x56x64, 3x3 64->64',
    budgetMs: 15_000,
    slowBudgetMs: 30_000,
    flops: 2 * 8 * 56 * 56 * 64 * 9 * 64,
  },
  {
    id: 'mnist-cnn-train',
    title: 'MNIST CNN train step, batch 64',
    budgetMs: 15_000,
    slowBudgetMs: 30_000,
    // TensorFlow.js cpu trains this CNN at about 0.5 samples/s (two minutes per step)
    slowOn: ['tfjs-cpu'],
  },
  { id: 'mobilenetv2-fwd', title: 'MobileNetV2 predict, batch 1', budgetMs: 15_000, slowBudgetMs: 30_000 },
  { id: 'resnet50-fwd', title: 'ResNet50 predict, batch 1', budgetMs: 20_000, slowBudgetMs: 40_000 },
];

export function workloadNamed(id: WebWorkloadId): WebWorkload {
  const w = WEB_WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`bench:web: unknown workload '${id}'; known: ${WEB_WORKLOADS.map((x) => x.id).join(', ')}`);
  return w;
}
