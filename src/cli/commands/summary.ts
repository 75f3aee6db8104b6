/** `capa summary <model file>`: prints the model's summary (and draws its graph with --plot). */
import { plotModel } from '../../plot/plot-model.js';
import type { CommandSpec } from '../args.js';
import { loadModelFile } from '../model-files.js';
import type { Command } from './index.js';

const spec: CommandSpec = {
  name: 'summary',
  summary: 'Print the layers, output shapes and parameter counts of a saved model.',
  positionals: [{ name: 'model', description: 'a model file: .keras, .h5, or a TensorFlow.js model.json (or its folder)' }],
  options: [
    { name: 'style', kind: 'string', choices: ['keras2', 'keras3'], default: 'keras2', description: 'table style' },
    { name: 'plot', kind: 'string', valueName: 'FILE', description: 'also draw the layer graph to FILE (.svg or .png)' },
  ],
  examples: ['capa summary capa-train-output/best.keras', 'capa summary model.h5 --style keras3 --plot model.png'],
};

export const summaryCommand: Command = {
  spec,
  async run({ positionals, options }) {
    const model = await loadModelFile(positionals[0]!);
    model.summary({ style: options.style as 'keras2' | 'keras3', printFn: (line: string) => console.log(line) });
    if (options.plot) {
      await plotModel(model, { toFile: String(options.plot), showShapes: true });
      console.log(`Layer graph written to ${options.plot}`);
    }
  },
};
