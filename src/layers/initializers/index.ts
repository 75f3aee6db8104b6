/**
 * Initializers by Keras identifier: `'glorot_uniform'`, `'he_normal'`, a class name, a
 * serialized config (`{class_name, config}`), or an Initializer instance.
 */
import { type ConfigDict, type ConfigValue, isConfigDict, type SerializedObject } from '../engine/config.js';
import {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Initializer,
  LecunNormal,
  LecunUniform,
  Ones,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  Zeros,
} from './initializer.js';
import { Identity, Orthogonal } from './orthogonal.js';

export { computeFans } from './fans.js';
export * from './initializer.js';
export { Identity, Orthogonal } from './orthogonal.js';

export type InitializerIdentifier =
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_normal'
  | 'he_uniform'
  | 'lecun_normal'
  | 'lecun_uniform'
  | 'zeros'
  | 'ones'
  | 'random_normal'
  | 'random_uniform'
  | 'truncated_normal'
  | 'constant'
  | 'variance_scaling'
  | 'orthogonal'
  | 'identity'
  | (string & {});

type InitializerFactory = (config: ConfigDict) => Initializer;

const num = (c: ConfigDict, k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
const seedOf = (c: ConfigDict): number | null => (typeof c.seed === 'number' ? c.seed : null);

/** Keras class name -> factory from config. */
const classes: Record<string, InitializerFactory> = {
  Zeros: () => new Zeros(),
  Ones: () => new Ones(),
  Constant: (c) => new Constant({ value: num(c, 'value') ?? 0 }),
  RandomNormal: (c) => new RandomNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev'), seed: seedOf(c) }),
  RandomUniform: (c) => new RandomUniform({ minval: num(c, 'minval'), maxval: num(c, 'maxval'), seed: seedOf(c) }),
  TruncatedNormal: (c) => new TruncatedNormal({ mean: num(c, 'mean'), stddev: num(c, 'stddev'), seed: seedOf(c) }),
  VarianceScaling: (c) =>
    new VarianceScaling({
      scale: num(c, 'scale'),
      mode: c.mode as VarianceScaling['mode'] | undefined,
      distribution: c.distribution as VarianceScaling['distribution'] | undefined,
      seed: seedOf(c),
    }),
  GlorotUniform: (c) => new GlorotUniform({ seed: seedOf(c) }),
  GlorotNormal: (c) => new GlorotNormal({ seed: seedOf(c) }),
  HeNormal: (c) => new HeNormal({ seed: seedOf(c) }),
  HeUniform: (c) => new HeUniform({ seed: seedOf(c) }),
  LecunNormal: (c) => new LecunNormal({ seed: seedOf(c) }),
  LecunUniform: (c) => new LecunUniform({ seed: seedOf(c) }),
  Orthogonal: (c) => new Orthogonal({ gain: num(c, 'gain'), seed: seedOf(c) }),
  Identity: (c) => new Identity({ gain: num(c, 'gain') }),
};

/** Keras's string aliases (snake_case of each class plus a few short forms). */
const aliases: Record<string, string> = {
  zeros: 'Zeros',
  zero: 'Zeros',
  ones: 'Ones',
  one: 'Ones',
  constant: 'Constant',
  random_normal: 'RandomNormal',
  normal: 'RandomNormal',
  random_uniform: 'RandomUniform',
  uniform: 'RandomUniform',
  truncated_normal: 'TruncatedNormal',
  variance_scaling: 'VarianceScaling',
  glorot_uniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  he_normal: 'HeNormal',
  he_uniform: 'HeUniform',
  lecun_normal: 'LecunNormal',
  lecun_uniform: 'LecunUniform',
  orthogonal: 'Orthogonal',
  OrthogonalInitializer: 'Orthogonal',
  identity: 'Identity',
  IdentityInitializer: 'Identity',
};

export const initializerClassNames: readonly string[] = Object.keys(classes);

/** Resolves an initializer from a Keras identifier, a serialized config or an instance. */
export function getInitializer(identifier: InitializerIdentifier | Initializer | SerializedObject | ConfigValue): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') {
    const className = aliases[identifier] ?? identifier;
    const factory = classes[className];
    if (!factory) {
      throw new Error(
        `Unknown initializer: '${identifier}'. Known: ${Object.keys(aliases)
          .filter((k) => k === k.toLowerCase())
          .join(', ')}.`,
      );
    }
    return factory({});
  }
  if (isConfigDict(identifier) && typeof identifier.class_name === 'string') {
    const className = aliases[identifier.class_name] ?? identifier.class_name;
    const factory = classes[className];
    if (!factory) throw new Error(`Unknown initializer class: '${identifier.class_name}'.`);
    return factory(isConfigDict(identifier.config) ? identifier.config : {});
  }
  throw new Error(`Could not interpret initializer identifier: ${JSON.stringify(identifier)}.`);
}

/** Keras 3's serialized form: `{module, class_name, config, registered_name}`. */
export function serializeInitializer(init: Initializer): SerializedObject {
  return { module: 'keras.initializers', class_name: init.className, config: init.getConfig(), registered_name: null };
}
