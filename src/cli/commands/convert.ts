/**
 * `capa convert <input> <output>`: a saved model to another format, chosen by the output's
 * extension: `.onnx` through the ONNX exporter, `.keras` / `.h5` / `model.json` through model.save.
 * An `.onnx` input goes through `capa.onnx.loadModel` (the importer).
 */
import type { Model } from '../../models/functional.js';
import { loadModel as loadOnnxModel } from '../../onnx/import/load-model.js';
import { saveModel } from '../../saving/api.js';
import type { CommandSpec } from '../args.js';
import { CliError, usageError } from '../errors.js';
import { loadModelFile } from '../model-files.js';
import type { Command } from './index.js';

async function loadOnnxFile(path: string): Promise<Model> {
  try {
    return await loadOnnxModel(path);
  } catch (error) {
    throw new CliError(`cannot load a model from '${path}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

const spec: CommandSpec = {
  name: 'convert',
  summary: 'Convert a saved model to another format (.onnx, .keras, .h5, TensorFlow.js model.json).',
  positionals: [
    {
      name: 'input',
      description: 'a model file: .keras, .h5, a TensorFlow.js model.json (or its folder), or .onnx',
    },
    { name: 'output', description: 'the file to write; its extension picks the format (.onnx, .keras, .h5, .json)' },
  ],
  options: [
    { name: 'opset', kind: 'integer', min: 13, max: 17, default: 17, description: 'ONNX opset version (for .onnx output)' },
    {
      name: 'layout',
      kind: 'string',
      choices: ['nhwc', 'nchw'],
      default: 'nhwc',
      description: "ONNX inputs/outputs channels-last as in capa, or channels-first ('nchw') as PyTorch-style runtimes expect",
    },
  ],
  examples: [
    'capa convert model.keras model.onnx',
    'capa convert model.h5 model.onnx --layout nchw --opset 13',
    'capa convert model.h5 model.keras',
  ],
};

export const convertCommand: Command = {
  spec,
  async run({ positionals, options }) {
    const [input, output] = positionals as [string, string];
    const model = input.toLowerCase().endsWith('.onnx') ? await loadOnnxFile(input) : await loadModelFile(input);
    if (output.toLowerCase().endsWith('.onnx')) {
      const { exportModel } = await import('../../onnx/index.js');
      try {
        await exportModel(model, output, { opset: options.opset as number, layout: options.layout as 'nhwc' | 'nchw' });
      } catch (error) {
        throw new CliError(`cannot convert '${input}' to ONNX: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (/\.(keras|h5|json)$/i.test(output)) {
      await saveModel(model, output);
    } else {
      throw usageError(`the output '${output}' needs an extension that names a format: .onnx, .keras, .h5 or .json`, 'convert');
    }
    console.log(`Wrote ${output}`);
  },
};
