/**
 * A TensorFlow.js IO handler on the local filesystem, writing and reading what tfjs-node's
 * `file://` handler does (tfjs-node is not installed here): `model.json` with `modelTopology`,
 * `format`, `generatedBy`, `convertedBy`, `weightsManifest: [{paths: ['weights.bin'], weights}]`
 * (and `trainingConfig` when present) beside one `weights.bin`. Reading accepts any number of
 * shards, concatenated in manifest order, as tfjs's loaders do.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';

export function fileSaveHandler(folder: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      await mkdir(folder, { recursive: true });
      const modelJson: Record<string, unknown> = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      const weightData = artifacts.weightData as ArrayBuffer;
      await writeFile(join(folder, 'weights.bin'), new Uint8Array(weightData));
      await writeFile(join(folder, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    },
  };
}

export function fileLoadHandler(modelJsonPath: string): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as io.ModelJSON;
      const specs: io.WeightsManifestEntry[] = [];
      const parts: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const path of group.paths) parts.push(new Uint8Array(await readFile(join(dirname(modelJsonPath), path))));
      }
      const total = parts.reduce((n, p) => n + p.length, 0);
      const weightData = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        weightData.set(p, at);
        at += p.length;
      }
      const artifacts: io.ModelArtifacts = {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: weightData.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      };
      if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
      return artifacts;
    },
  };
}
