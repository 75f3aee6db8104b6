/**
 * Building VGG19 (143,667,240 parameters, Glorot-uniform kernels) and running its first two
 * blocks on one 224x224 image: capa against @tensorflow/tfjs-layers (cpu backend), in one run.
 *
 *   npx tsx bench/vgg19-build.ts [repeats=3]
 *
 * Prints the median of each and the ratio (tfjs / capa; > 1 means capa is faster).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as capa from '../src/index.js';

const repeats = Number(process.argv[2] ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(f: () => void): number {
  const start = performance.now();
  f();
  return performance.now() - start;
}

function tfjsVGG19(): tfl.Sequential {
  const model = tfl.sequential();
  const blocks = [2, 2, 4, 4, 4];
  const filters = [64, 128, 256, 512, 512];
  blocks.forEach((n, b) => {
    for (let i = 0; i < n; i++) {
      model.add(
        tfl.layers.conv2d({
          filters: filters[b] as number,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          ...(b === 0 && i === 0 ? { inputShape: [224, 224, 3] } : {}),
        }),
      );
    }
    model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  });
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 4096, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 4096, activation: 'relu' }));
  model.add(tfl.layers.dense({ units: 1000, activation: 'softmax' }));
  return model;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const capaBuild: number[] = [];
  const tfjsBuild: number[] = [];
  for (let r = 0; r < repeats; r++) {
    capaBuild.push(time(() => capa.applications.VGG19()));
    tfjsBuild.push(
      time(() => {
        const m = tfjsVGG19();
        if (m.countParams() !== 143_667_240) throw new Error('tfjs VGG19 has the wrong size');
        m.dispose();
      }),
    );
  }
  console.log(
    `VGG19 build: capa ${median(capaBuild).toFixed(0)} ms, tfjs-layers ${median(tfjsBuild).toFixed(0)} ms, ratio ${(median(tfjsBuild) / median(capaBuild)).toFixed(2)}x`,
  );

  // The notebook's forward pass: blocks 1-2 on one image.
  capa.clearSession();
  const ours = new capa.Sequential();
  const theirs = tfl.sequential();
  for (const [f, first] of [
    [64, true],
    [64, false],
  ] as const) {
    ours.add(
      new capa.layers.Conv2D(f, 3, { padding: 'same', activation: 'relu', ...(first ? { inputShape: [224, 224, 3] } : {}) }),
    );
    theirs.add(
      tfl.layers.conv2d({
        filters: f,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        ...(first ? { inputShape: [224, 224, 3] } : {}),
      }),
    );
  }
  ours.add(new capa.layers.MaxPooling2D(2));
  theirs.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  for (let i = 0; i < 2; i++) {
    ours.add(new capa.layers.Conv2D(128, 3, { padding: 'same', activation: 'relu' }));
    theirs.add(tfl.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same', activation: 'relu' }));
  }
  ours.add(new capa.layers.MaxPooling2D(2));
  theirs.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  const x = capa.randomNormal([1, 224, 224, 3], { seed: 1 });
  const tx = tf.tensor(Array.from(x.dataSync()), x.shape);
  const capaFwd: number[] = [];
  const tfjsFwd: number[] = [];
  for (let r = 0; r < repeats; r++) {
    capaFwd.push(time(() => ours.apply(x)));
    tfjsFwd.push(time(() => (theirs.predict(tx) as tf.Tensor).dataSync()));
  }
  console.log(
    `VGG19 blocks 1-2 forward (1x224x224x3, backend ${capa.getBackend()}): capa ${median(capaFwd).toFixed(0)} ms, tfjs-layers cpu ${median(tfjsFwd).toFixed(0)} ms, ratio ${(median(tfjsFwd) / median(capaFwd)).toFixed(2)}x`,
  );
}

void main();
