/**
 * Call options on symbolic inputs are recorded in the functional graph (Keras's node kwargs):
 * replayed on every run, written to configs and files as `kwargs`, read back from them; a
 * tensor-valued option is refused by name instead of being dropped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { loadModel } from '../../src/saving/api.js';

const { Input, Model, layers: L } = capa;
type Config = Record<string, unknown>;

/** A causal self-attention block: each position may attend only to itself and earlier ones. */
function causalModel(): capa.Model {
  const x = Input({ shape: [5, 8], name: 'tokens' });
  const mha = new L.MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
  return new Model({ inputs: x, outputs: mha.apply([x, x], { useCausalMask: true }), name: 'causal' });
}

const values = (t: capa.Tensor): number[] => Array.from(t.dataSync());

describe('call options recorded in a functional graph', () => {
  beforeEach(() => capa.clearSession());

  it('useCausalMask: the model masks the future like the eager call, and unlike an unmasked one', () => {
    const model = causalModel();
    const mha = model.getLayer('mha') as capa.layers.MultiHeadAttention;
    const x = capa.randomNormal([2, 5, 8], { seed: 1 });
    expect(values(model.apply(x))).toEqual(values(mha.apply([x, x], { useCausalMask: true })));
    expect(values(model.apply(x))).not.toEqual(values(mha.apply([x, x])));
    // changing the last position leaves the outputs of the first four unchanged
    const changed = capa.ops.concat([capa.ops.slice(x, [0, 0, 0], [2, 4, 8]), capa.randomNormal([2, 1, 8], { seed: 9 })], 1);
    const first4 = (y: capa.Tensor) => values(capa.ops.slice(y, [0, 0, 0], [2, 4, 8]));
    expect(first4(model.apply(changed))).toEqual(first4(model.apply(x)));
  });

  it('training: true keeps Dropout on at inference (Monte Carlo dropout); the default leaves it off', () => {
    const x = Input({ shape: [200] });
    const mc = new Model({ inputs: x, outputs: new L.Dropout(0.5, { seed: 3 }).apply(x, { training: true }) });
    const plain = new Model({ inputs: x, outputs: new L.Dropout(0.5, { seed: 3 }).apply(x) });
    const ones = capa.ones([1, 200]);
    const a = values(mc.apply(ones));
    const b = values(mc.apply(ones));
    expect(a.filter((v) => v === 0).length).toBeGreaterThan(50);
    expect(a).not.toEqual(b);
    expect(values(plain.apply(ones))).toEqual(values(ones));
  });

  it("training: false keeps a frozen base's BatchNormalization in inference mode inside a training call (Keras's transfer-learning pattern)", () => {
    const x = Input({ shape: [3] });
    const frozen = new Model({ inputs: x, outputs: new L.BatchNormalization({ name: 'bn' }).apply(x, { training: false }) });
    const free = new Model({ inputs: x, outputs: new L.BatchNormalization({ name: 'bn2' }).apply(x) });
    const batch = capa.tensor([
      [1, 2, 3],
      [5, 8, 13],
    ]);
    // moving statistics start at mean 0, variance 1: inference mode is x / sqrt(1 + 1e-3)
    const inference = values(batch).map((v) => v / Math.sqrt(1 + 1e-3));
    for (const [i, v] of values(frozen.apply(batch, { training: true })).entries()) {
      expect(v).toBeCloseTo(inference[i] as number, 5);
    }
    // without the option the training call normalizes by the batch: column means become 0
    const trained = values(free.apply(batch, { training: true }));
    expect(trained[0] as number).toBeCloseTo(-(trained[3] as number), 4);
  });

  it('returnAttentionScores gives the graph a second output of shape [batch, heads, targets, sources]', () => {
    const q = Input({ shape: [3, 8] });
    const v = Input({ shape: [5, 8] });
    const mha = new L.MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
    const [out, scores] = mha.applyMulti([q, v], { returnAttentionScores: true }) as [capa.SymbolicTensor, capa.SymbolicTensor];
    expect(out.shape).toEqual([null, 3, 8]);
    expect(scores.shape).toEqual([null, 2, 3, 5]);
    const model = new Model({ inputs: [q, v], outputs: [out, scores] });
    const xq = capa.randomNormal([2, 3, 8], { seed: 1 });
    const xv = capa.randomNormal([2, 5, 8], { seed: 2 });
    const [y, s] = model.applyMulti([xq, xv]);
    const [ey, es] = mha.applyMulti([xq, xv], { returnAttentionScores: true });
    expect(values(y as capa.Tensor)).toEqual(values(ey as capa.Tensor));
    expect(values(s as capa.Tensor)).toEqual(values(es as capa.Tensor));
  });

  it('configs carry the options as kwargs (Keras 3 and Keras 2 layouts) and revive them', () => {
    const model = causalModel();
    const x = capa.randomNormal([2, 5, 8], { seed: 4 });
    for (const format of ['keras3', 'keras2'] as const) {
      const config = JSON.parse(JSON.stringify(capa.serializeLayer(model, format))) as Config;
      const entry = ((config.config as Config).layers as Config[]).find((l) => l.name === 'mha') as Config;
      const node = (entry.inbound_nodes as unknown[])[0];
      const kwargs = format === 'keras3' ? (node as Config).kwargs : (node as unknown[][])[0]?.[3];
      expect(kwargs).toEqual({ use_causal_mask: true });
      const revived = capa.deserializeLayer(config as never) as capa.Model;
      revived.setWeights(model.getWeights());
      expect(values(revived.apply(x))).toEqual(values(model.apply(x)));
    }
  });

  it("Keras 3's form of the call, query and value as two positional arguments, loads with its kwargs", () => {
    const model = causalModel();
    const config = JSON.parse(JSON.stringify(capa.serializeLayer(model, 'keras3'))) as Config;
    const entry = ((config.config as Config).layers as Config[]).find((l) => l.name === 'mha') as Config;
    const node = (entry.inbound_nodes as Config[])[0] as Config;
    node.args = (node.args as unknown[][])[0] as unknown[]; // [[q, v]] -> [q, v], as Keras 3 writes MultiHeadAttention()(q, v)
    node.kwargs = { use_causal_mask: true, return_attention_scores: false, training: null };
    const revived = capa.deserializeLayer(config as never) as capa.Model;
    revived.setWeights(model.getWeights());
    const x = capa.randomNormal([2, 5, 8], { seed: 5 });
    expect(values(revived.apply(x))).toEqual(values(model.apply(x)));
  });

  it('a .keras file keeps the causal mask', async () => {
    const model = causalModel();
    const path = join(mkdtempSync(join(tmpdir(), 'capa-callopts-')), 'causal.keras');
    await model.save(path);
    const loaded = await loadModel(path);
    const x = capa.randomNormal([2, 5, 8], { seed: 6 });
    expect(values(loaded.apply(x))).toEqual(values(model.apply(x)));
  });

  it('tensor-valued options are refused by name, on a call and in a config', () => {
    const x = Input({ shape: [5, 8] });
    const mask = Input({ shape: [5] });
    expect(() => new L.LSTM(4, { name: 'rnn' }).apply(x, { mask: mask as unknown as capa.Tensor })).toThrow(
      'Layer "rnn": the call option `mask` holds a tensor, which a functional graph cannot record',
    );
    const config = JSON.parse(JSON.stringify(capa.serializeLayer(causalModel(), 'keras3'))) as Config;
    const entry = ((config.config as Config).layers as Config[]).find((l) => l.name === 'mha') as Config;
    const node = (entry.inbound_nodes as Config[])[0] as Config;
    node.kwargs = { attention_mask: (node.args as Config[][])[0]?.[0] as unknown as Config };
    expect(() => capa.deserializeLayer(config as never)).toThrow(
      "layer 'mha' is called with the keyword argument 'attention_mask'",
    );
  });
});
