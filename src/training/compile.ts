/**
 * What `compile` sets up: the optimizer, one loss (with its weight) and a metric list per model
 * output, and the trackers behind the logged values. 'accuracy' is resolved on the first batch,
 * when the labels' shape is known (Keras 3 builds its compiled metrics the same way).
 */
import type { ConfigDict, ConfigValue } from '../layers/engine/config.js';
import { isConfigDict } from '../layers/engine/config.js';
import type { Tensor } from '../tensor/tensor.js';
import * as losses from './losses/index.js';
import type { ShapeLike } from './losses/labels.js';
import * as metrics from './metrics/index.js';
import { Mean, type Metric, type MetricDirection } from './metrics/metric.js';
import * as optimizers from './optimizers/index.js';

export type LossSpec = losses.LossIdentifier | losses.LossIdentifier[] | Record<string, losses.LossIdentifier>;
export type MetricsSpec =
  | metrics.MetricIdentifier[]
  | metrics.MetricIdentifier[][]
  | Record<string, metrics.MetricIdentifier | metrics.MetricIdentifier[]>;

export interface CompileArgs {
  /** An optimizer, or a Keras name ('adam', 'sgd', ...). Defaults to 'rmsprop' as in Keras. */
  optimizer?: optimizers.OptimizerIdentifier;
  /** One loss, or one per output (a list, or keyed by output layer name). */
  loss?: LossSpec;
  /** Metric names/objects: one list for every output, a list per output, or keyed by output name. */
  metrics?: MetricsSpec;
  /** Weights of the per-output losses in the total (a list, or keyed by output name). */
  lossWeights?: number[] | Record<string, number>;
  /**
   * Metrics that receive the sample weights (`sampleWeight`, `classWeight`); those in `metrics`
   * do not, as in Keras. Same forms as `metrics`.
   */
  weightedMetrics?: MetricsSpec;
  /** Accepted for Keras: capa always runs eagerly (each step is ordinary code), so this changes nothing. */
  runEagerly?: boolean;
  /**
   * Accepted for Keras (a positive integer): capa runs one batch per step and calls batch
   * callbacks after every batch, as Keras does with the default of 1.
   */
  stepsPerExecution?: number;
  /** Accepted for Keras (`true`, `false` or `'auto'`): capa has no XLA-style compiler; the kernels are already native. */
  jitCompile?: boolean | 'auto';
  /** Accepted for Keras: losses are scaled only under a mixed-float16 policy, which capa does not compute in. */
  autoScaleLoss?: boolean;
}

/** Keras 3's compile arguments, in its order (compile refuses others by name). */
const COMPILE_OPTIONS = [
  'optimizer',
  'loss',
  'lossWeights',
  'metrics',
  'weightedMetrics',
  'runEagerly',
  'stepsPerExecution',
  'jitCompile',
  'autoScaleLoss',
] as const satisfies readonly (keyof CompileArgs)[];

/** One model output's loss and metrics. */
export interface OutputTargets {
  name: string;
  loss: losses.Loss | null;
  lossWeight: number;
  /** What the user asked for, resolved on the first batch. */
  metricSpecs: metrics.MetricIdentifier[];
  metrics: Metric[] | null;
  /** The same for `weightedMetrics`: these receive the sample weights. */
  weightedMetricSpecs: metrics.MetricIdentifier[];
  weightedMetrics: Metric[] | null;
  /** Tracks this output's loss when the model has several outputs (`<output>_loss`). */
  lossTracker: Mean | null;
}

export class CompiledState {
  readonly optimizer: optimizers.Optimizer;
  readonly outputs: OutputTargets[];
  readonly lossTracker = new Mean({ name: 'loss' }, 'down');
  /** The arguments as given, for getCompileConfig (Keras keeps them serialized). */
  readonly config: ConfigDict;

  constructor(args: CompileArgs, outputNames: string[], where: string) {
    if (args === null || typeof args !== 'object') {
      throw new Error(
        `${where}: pass the settings as an object: compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] }).`,
      );
    }
    const known = new Set<string>(COMPILE_OPTIONS);
    for (const key of Object.keys(args)) {
      if (known.has(key)) continue;
      const hint =
        key === 'name' ? " Keras 3's compile has no 'name'; name the model itself: new Model({ inputs, outputs, name })." : '';
      throw new Error(`${where}: unknown option '${key}'. Known options: ${[...known].join(', ')}.${hint}`);
    }
    checkNoOpOptions(args, where);
    this.optimizer = optimizers.get(args.optimizer ?? 'rmsprop');
    const lossList = perOutput(args.loss, outputNames, 'loss', where);
    const weightList = perOutput(args.lossWeights, outputNames, 'lossWeights', where);
    const metricLists = metricsPerOutput(args.metrics, outputNames, where, 'metrics');
    const weightedLists = metricsPerOutput(args.weightedMetrics, outputNames, where, 'weightedMetrics');
    const multi = outputNames.length > 1;
    this.outputs = outputNames.map((name, i) => {
      const lossId = lossList[i];
      const weight = weightList[i];
      if (weight !== undefined && typeof weight !== 'number') throw new Error(`${where}: lossWeights must be numbers.`);
      return {
        name,
        loss: lossId === undefined || lossId === null ? null : losses.get(lossId as losses.LossIdentifier),
        lossWeight: weight ?? 1,
        metricSpecs: metricLists[i] ?? [],
        metrics: null,
        weightedMetricSpecs: weightedLists[i] ?? [],
        weightedMetrics: null,
        lossTracker: multi ? new Mean({ name: `${name}_loss` }, 'down') : null,
      };
    });
    this.config = {
      optimizer: serializeOptimizerArg(args.optimizer ?? 'rmsprop', this.optimizer),
      loss: serializeSpec(args.loss ?? null),
      loss_weights: (args.lossWeights as ConfigValue) ?? null,
      metrics: serializeSpec((args.metrics as ConfigValue) ?? null),
      weighted_metrics: serializeSpec((args.weightedMetrics as ConfigValue) ?? null),
      run_eagerly: args.runEagerly ?? false,
      steps_per_execution: args.stepsPerExecution ?? 1,
      jit_compile: args.jitCompile ?? false,
      auto_scale_loss: args.autoScaleLoss ?? true,
    };
  }

  get hasLoss(): boolean {
    return this.outputs.some((o) => o.loss !== null);
  }

  /** Resolves each output's metrics once the label and prediction shapes are known. */
  buildMetrics(yTrueShapes: ShapeLike[], yPredShapes: ShapeLike[]): void {
    const multi = this.outputs.length > 1;
    for (const [i, out] of this.outputs.entries()) {
      // metrics and weightedMetrics are resolved together, so `metrics === null` says both are pending
      if (out.metrics !== null) continue;
      const context: metrics.AccuracyContext = {
        sparseLabels: out.loss?.sparseLabels ?? false,
        binaryLoss: out.loss instanceof losses.BinaryCrossentropy,
        ...(yTrueShapes[i] ? { yTrueShape: yTrueShapes[i] } : {}),
        ...(yPredShapes[i] ? { yPredShape: yPredShapes[i] } : {}),
      };
      const resolve = (spec: metrics.MetricIdentifier): Metric => {
        const m = metrics.get(spec, context);
        if (multi && !m.name.startsWith(`${out.name}_`)) m.name = `${out.name}_${m.name}`;
        return m;
      };
      out.metrics = out.metricSpecs.map(resolve);
      // Keras names a weighted metric `weighted_<name>` when an unweighted one has its name
      const unweighted = new Set(out.metrics.map((m) => m.name));
      out.weightedMetrics = out.weightedMetricSpecs.map((spec) => {
        const m = resolve(spec);
        if (unweighted.has(m.name)) m.name = `weighted_${m.name}`;
        return m;
      });
    }
    const names = new Set<string>(['loss']);
    for (const m of this.allMetrics()) {
      if (names.has(m.name)) throw new Error(`compile: two metrics are both named '${m.name}'; give one of them another name.`);
      names.add(m.name);
    }
  }

  /** Every metric after the loss tracker(s), in log order. */
  allMetrics(): Metric[] {
    const out: Metric[] = [];
    for (const o of this.outputs) if (o.lossTracker) out.push(o.lossTracker);
    for (const o of this.outputs) out.push(...(o.metrics ?? []), ...(o.weightedMetrics ?? []));
    return out;
  }

  /**
   * Updates each output's metrics on a batch: `metrics` without the sample weights, and
   * `weightedMetrics` with them (Keras's CompileMetrics).
   */
  updateMetrics(ys: readonly Tensor[], preds: readonly Tensor[], sampleWeight: Tensor | null): void {
    for (const [i, out] of this.outputs.entries()) {
      const y = ys[i] as Tensor;
      const pred = preds[i] as Tensor;
      for (const m of out.metrics ?? []) m.updateState(y, pred, null);
      for (const m of out.weightedMetrics ?? []) m.updateState(y, pred, sampleWeight);
    }
  }

  resetMetrics(): void {
    this.lossTracker.resetState();
    for (const m of this.allMetrics()) m.resetState();
  }

  /** Current values: `loss`, per-output losses, then the metrics (per-class results as name_0, name_1, ...). */
  logs(): Record<string, number | Tensor> {
    const logs: Record<string, number | Tensor> = { loss: this.lossTracker.logValue() };
    for (const m of this.allMetrics()) {
      const r = m.logValue();
      if (!Array.isArray(r)) logs[m.name] = r;
      else for (const [i, v] of r.entries()) logs[`${m.name}_${i}`] = v;
    }
    return logs;
  }

  metricDirection(name: string): MetricDirection {
    if (name === 'loss' || name.endsWith('_loss')) return 'down';
    for (const m of this.allMetrics()) if (m.name === name) return m.direction;
    return null;
  }
}

function perOutput<T>(
  spec: T | T[] | Record<string, T> | undefined,
  names: string[],
  what: string,
  where: string,
): (T | undefined)[] {
  if (spec === undefined || spec === null) return names.map(() => undefined);
  if (Array.isArray(spec)) {
    if (what === 'loss' && names.length === 1 && spec.length !== 1) {
      throw new Error(`${where}: ${what} is a list of ${spec.length} but the model has 1 output.`);
    }
    if (spec.length !== names.length) {
      throw new Error(
        `${where}: ${what} is a list of ${spec.length} but the model has ${names.length} outputs (${names.join(', ')}).`,
      );
    }
    return spec;
  }
  if (typeof spec === 'object' && !(spec instanceof losses.Loss) && typeof spec !== 'function') {
    const dict = spec as Record<string, T>;
    for (const key of Object.keys(dict)) {
      if (!names.includes(key))
        throw new Error(`${where}: ${what} names output '${key}', but the model's outputs are: ${names.join(', ')}.`);
    }
    return names.map((n) => dict[n]);
  }
  return names.map(() => spec as T);
}

/** The no-op options still get checked, so a typo'd value is not silently kept. */
function checkNoOpOptions(args: CompileArgs, where: string): void {
  for (const key of ['runEagerly', 'autoScaleLoss'] as const) {
    const v = args[key];
    if (v !== undefined && typeof v !== 'boolean')
      throw new Error(`${where}: ${key} must be true or false, received ${String(v)}.`);
  }
  const jit = args.jitCompile;
  if (jit !== undefined && typeof jit !== 'boolean' && jit !== 'auto')
    throw new Error(`${where}: jitCompile must be true, false or 'auto', received ${String(jit)}.`);
  const steps = args.stepsPerExecution;
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0))
    throw new Error(`${where}: stepsPerExecution must be a positive integer, received ${String(steps)}.`);
}

function metricsPerOutput(
  spec: MetricsSpec | undefined,
  names: string[],
  where: string,
  what: 'metrics' | 'weightedMetrics',
): metrics.MetricIdentifier[][] {
  if (spec === undefined || spec === null) return names.map(() => []);
  if (Array.isArray(spec)) {
    const nested = spec.length > 0 && spec.every((s) => Array.isArray(s));
    if (nested) {
      if (spec.length !== names.length)
        throw new Error(`${where}: ${what} has ${spec.length} lists but the model has ${names.length} outputs.`);
      return spec as metrics.MetricIdentifier[][];
    }
    return names.map(() => spec as metrics.MetricIdentifier[]);
  }
  if (typeof spec === 'object') {
    for (const key of Object.keys(spec)) {
      if (!names.includes(key))
        throw new Error(`${where}: ${what} names output '${key}', but the model's outputs are: ${names.join(', ')}.`);
    }
    return names.map((n) => {
      const m = (spec as Record<string, metrics.MetricIdentifier | metrics.MetricIdentifier[]>)[n];
      return m === undefined ? [] : Array.isArray(m) ? m : [m];
    });
  }
  throw new Error(`${where}: ${what} must be a list such as ['accuracy'].`);
}

function serializeOptimizerArg(arg: optimizers.OptimizerIdentifier, optimizer: optimizers.Optimizer): ConfigValue {
  if (typeof arg === 'string') return arg;
  const s = optimizers.serialize(optimizer);
  return { module: 'keras.optimizers', class_name: s.class_name, config: s.config as ConfigDict, registered_name: null };
}

/** Keras keeps strings as they are and serializes objects as {module, class_name, config, registered_name}. */
function serializeSpec(spec: unknown): ConfigValue {
  if (spec === null || spec === undefined) return null;
  if (typeof spec === 'string' || typeof spec === 'number') return spec;
  if (Array.isArray(spec)) return spec.map(serializeSpec);
  if (spec instanceof losses.Loss) {
    return { module: 'keras.losses', class_name: spec.className, config: spec.getConfig() as ConfigDict, registered_name: null };
  }
  if (spec instanceof metrics.Metric) {
    return { module: 'keras.metrics', class_name: spec.className, config: spec.getConfig() as ConfigDict, registered_name: null };
  }
  if (typeof spec === 'function')
    return { module: null, class_name: 'function', config: spec.name || 'anonymous', registered_name: null };
  if (typeof spec === 'object') {
    const out: ConfigDict = {};
    for (const [k, v] of Object.entries(spec as Record<string, unknown>)) out[k] = serializeSpec(v);
    return out;
  }
  return null;
}

/** Turns a saved compile_config back into compile arguments (Keras 3 or Keras 2 layouts). */
export function compileArgsFromConfig(config: ConfigDict): CompileArgs {
  const args: CompileArgs = {};
  const opt = config['optimizer'];
  if (typeof opt === 'string') args.optimizer = opt;
  else if (isConfigDict(opt) && typeof opt['class_name'] === 'string') {
    const raw = isConfigDict(opt['config']) ? { ...opt['config'] } : {};
    // Keras 2 wrote `lr`
    if (raw['learning_rate'] === undefined && typeof raw['lr'] === 'number') raw['learning_rate'] = raw['lr'];
    args.optimizer = optimizers.deserialize({ class_name: opt['class_name'], config: raw as optimizers.OptimizerConfig });
  }
  const loss = deserializeSpec(config['loss'] ?? null, 'loss');
  if (loss !== null) args.loss = loss as LossSpec;
  const m = deserializeSpec(config['metrics'] ?? null, 'metric');
  if (m !== null) args.metrics = m as MetricsSpec;
  const wm = deserializeSpec(config['weighted_metrics'] ?? null, 'metric');
  if (wm !== null) args.weightedMetrics = wm as MetricsSpec;
  const lw = config['loss_weights'];
  if (Array.isArray(lw) || isConfigDict(lw ?? null)) args.lossWeights = lw as number[] | Record<string, number>;
  return args;
}

function deserializeSpec(value: ConfigValue, kind: 'loss' | 'metric'): unknown {
  if (value === null || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => deserializeSpec(v, kind));
  if (isConfigDict(value) && typeof value['class_name'] === 'string') {
    const className = value['class_name'];
    if (className === 'function') {
      throw new Error(
        `cannot restore the custom ${kind} function '${String(value['config'])}' from a saved config; compile the model again after loading.`,
      );
    }
    const cfg = isConfigDict(value['config']) ? value['config'] : {};
    // a Keras-named class with its own name kept: rebuild by name, then apply the options capa knows
    const instance = kind === 'loss' ? losses.get(className) : metrics.get(className);
    const Ctor = instance.constructor as new (options: Record<string, unknown>) => unknown;
    return new Ctor(camelOptions(cfg));
  }
  if (isConfigDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deserializeSpec(v, kind);
    return out;
  }
  return null;
}

function camelOptions(cfg: ConfigDict): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (v === null) continue;
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}
