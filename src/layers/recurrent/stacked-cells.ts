/**
 * StackedRNNCells (Keras's): several cells run as one, each step feeding the previous cell's
 * output to the next; the states are the cells' states one after another.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, type LayerClass } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { deserializeLayer } from '../registry.js';
import { nestedLayerConfig } from './nested-config.js';
import { type RecurrentCell, stateSizesOf } from './rnn.js';

export class StackedRNNCells extends Layer {
  static override readonly className: string = 'StackedRNNCells';
  readonly cells: Layer[];

  constructor(cells: Layer[], args: LayerArgs = {}) {
    super(args);
    if (!Array.isArray(cells) || cells.length === 0) throw new Error('StackedRNNCells: pass a non-empty list of cells.');
    for (const c of cells) stateSizesOf(c, `StackedRNNCells "${this.name}"`);
    this.cells = cells.slice();
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => stateSizesOf(c, `StackedRNNCells "${this.name}"`));
  }

  get outputSize(): number {
    const last = this.cells[this.cells.length - 1] as RecurrentCell;
    return typeof last.outputSize === 'number' ? last.outputSize : (stateSizesOf(last, this.name)[0] as number);
  }

  override build(inputShape: SymbolicShape): void {
    let shape = inputShape;
    for (const cell of this.cells) {
      if (!cell.built) cell.maybeBuild([shape]);
      const c = cell as RecurrentCell;
      const out = typeof c.outputSize === 'number' ? c.outputSize : (stateSizesOf(cell, this.name)[0] as number);
      shape = [shape[0] ?? null, out];
    }
  }

  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    let [x, ...states] = inputs as [Tensor, ...Tensor[]];
    const next: Tensor[] = [];
    for (const cell of this.cells) {
      const n = stateSizesOf(cell, this.name).length;
      const outs = cell.callMulti([x, ...states.slice(0, n)], { training: args.training });
      states = states.slice(n);
      x = outs[0] as Tensor;
      next.push(...outs.slice(1));
    }
    return [x, ...next];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const batch = inputShapes[0]?.[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((s) => [batch, s])];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cells: this.cells.map((c) => nestedLayerConfig(c)) };
  }

  static override fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): StackedRNNCells {
    const owner = 'StackedRNNCells.fromConfig';
    if (!Array.isArray(config.cells)) throw new Error(`${owner}: the config has no list of cells.`);
    return new StackedRNNCells(
      config.cells.map((c) => deserializeLayer(c, customObjects)),
      baseArgsFromConfig(config, owner),
    );
  }
}
