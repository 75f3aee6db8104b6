import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.js';
import { withH5Reader } from '../../src/saving/hdf5/h5-reader.js';
import { ZipArchive } from '../../src/saving/zip/zip-reader.js';
import { SAMPLE_FILES } from './helpers/samples.js';

interface FileResult {
  ok: boolean;
  kind: string;
  checks: string[];
  datasets: Record<string, { shape: number[]; dtype: string }>;
}
const report = JSON.parse(await readFile(new URL('../fixtures/saving/h5py-check.json', import.meta.url), 'utf8')) as {
  h5py_version: string;
  files: Record<string, FileResult>;
};

describe('files capa writes, as h5py reads them (tools/keras_h5py_check.py)', () => {
  it('h5py found the layout Keras expects in every sample file', () => {
    expect(Object.keys(report.files).sort()).toEqual(SAMPLE_FILES.map((s) => s.file).sort());
    for (const [file, result] of Object.entries(report.files)) {
      expect(
        result.checks.filter((c) => c.startsWith('FAIL')),
        file,
      ).toEqual([]);
      expect(result.ok, file).toBe(true);
      expect(result.checks.length, file).toBeGreaterThan(0);
    }
  });

  it('capa still writes exactly the datasets h5py checked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capa-h5py-'));
    for (const sample of SAMPLE_FILES) {
      const path = join(dir, sample.file);
      await sample.write(path);
      let bytes: Uint8Array = new Uint8Array(await readFile(path));
      if (sample.kind === 'keras') bytes = ZipArchive.open(bytes, path).read('model.weights.h5');
      const listing = await withH5Reader(bytes, path, (reader) =>
        Object.fromEntries(
          reader.datasetPaths().map((p) => {
            const d = reader.dataset(p);
            return [p, { shape: d.shape, dtype: d.dtype }];
          }),
        ),
      );
      expect(listing, sample.file).toEqual(report.files[sample.file]!.datasets);
    }
  });
});
