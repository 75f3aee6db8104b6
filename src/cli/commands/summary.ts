/** `capa summary <model file>`: prints the model's summary (and draws its graph with --plot). */
import { plotModel } from '../../plot/plot-model.js';
import type { CommandSpec } from '../args.js';
import { CliError, usageError } from '../errors.js';
import { loadModelFile } from '../model-files.js';
import type { Command } from './index.js';

/** An ONNX file's inputs, outputs and op counts, read from its protobuf (no capa model is built). */
async function onnxSummary(path: string): Promise<string> {
  const [{ readFile }, { formatOnnxSummary, inspectOnnx }] = await Promise.all([
    import('node:fs/promises'),
    import('../../onnx/inspect.js'),
  ]);
  try {
    return formatOnnxSummary(inspectOnnx(new Uint8Array(await readFile(path))));
  } catch (error) {
    throw new CliError(`cannot read '${path}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

const spec: CommandSpec = {
  name: 'summary',
  summary: 'Print the layers, output shapes and parameter counts of a saved model.',
  positionals: [
    { name: 'model', description: 'a model file: .keras, .h5, .onnx, or a TensorFlow.js model.json (or its folder)' },
  ],
  options: [
    { name: 'style', kind: 'string', choices: ['keras2', 'keras3'], default: 'keras2', description: 'table style' },
    { name: 'plot', kind: 'string', valueName: 'FILE', description: 'also draw the layer graph to FILE (.svg or .png)' },
  ],
  examples: [
    'capa summary capa-train-output/best.keras',
    'capa summary model.h5 --style keras3 --plot model.png',
    'capa summary model.onnx',
  ],
};

export const summaryCommand: Command = {
  spec,
  async run({ positionals, options }) {
    if (positionals[0]?.toLowerCase().endsWith('.onnx')) {
      if (options.plot) throw usageError('--plot draws capa models; it is not available for .onnx files', 'summary');
      console.log(await onnxSummary(positionals[0]));
      return;
    }
    const model = await loadModelFile(positionals[0]!);
    model.summary({ style: options.style as 'keras2' | 'keras3', printFn: (line: string) => console.log(line) });
    if (options.plot) {
      await plotModel(model, { toFile: String(options.plot), showShapes: true });
      console.log(`Layer graph written to ${options.plot}`);
    }
  },
};
