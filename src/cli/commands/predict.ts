/** `capa predict <model> <image...>`: the most likely classes of each image. */
import type { CommandSpec } from '../args.js';
import { loadImageBatch, preprocessBatch } from '../classify.js';
import { applyMaxImagePixels, checkImageFiles, MAX_IMAGE_PIXELS_OPTION } from '../image-folder.js';
import { loadModelFile, modelLabels } from '../model-files.js';
import type { Command } from './index.js';

const spec: CommandSpec = {
  name: 'predict',
  summary: 'Classify image files with a saved model.',
  positionals: [
    { name: 'model', description: 'a model file (.keras, .h5, model.json); capa-labels.json next to it gives class names' },
    { name: 'image', description: 'image files', variadic: true },
  ],
  options: [
    { name: 'top', short: 'k', kind: 'integer', min: 1, default: 3, description: 'how many classes to show per image' },
    { name: 'batch-size', short: 'b', kind: 'integer', min: 1, default: 32, description: 'images per batch' },
    MAX_IMAGE_PIXELS_OPTION,
  ],
  examples: [
    'capa predict capa-train-output/best_model.keras cat.jpg dog.jpg',
    'capa predict model.keras digits/7/*.png --top 1',
  ],
};

export const predictCommand: Command = {
  spec,
  async run({ positionals, options }) {
    const [modelPath, ...images] = positionals as [string, ...string[]];
    applyMaxImagePixels(options);
    await checkImageFiles(images);
    const model = await loadModelFile(modelPath);
    const labels = await modelLabels(modelPath, model);
    const batchSize = Number(options['batch-size']);
    const top = Number(options.top);
    for (let start = 0; start < images.length; start += batchSize) {
      const paths = images.slice(start, start + batchSize);
      const x = preprocessBatch(await loadImageBatch(paths, labels), labels.preprocessing);
      const probabilities = await model.predict(x, { verbose: 0 });
      const k = probabilities.shape[1]!;
      const values = probabilities.dataSync();
      paths.forEach((path, i) => {
        const row = Array.from(values.subarray(i * k, (i + 1) * k));
        const ranked = row
          .map((p, c) => [c, p] as const)
          .sort((a, b) => b[1] - a[1])
          .slice(0, top);
        const name = (c: number) => labels.classes[c] ?? String(c);
        const [best, ...rest] = ranked;
        const others = rest.map(([c, p]) => `${name(c)} ${(p * 100).toFixed(1)}%`).join(', ');
        console.log(`${path}: ${name(best![0])} (${(best![1] * 100).toFixed(1)}%)${others ? `  [${others}]` : ''}`);
      });
    }
  },
};
