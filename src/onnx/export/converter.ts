/** The shape of a layer converter: one layer call in, its output values out. */
import type { Layer } from '../../layers/engine/layer.js';
import type { ExportContext, LayerCall } from './context.js';
import type { OnnxValue } from './layout.js';

export interface ConverterEntry {
  /** The exact layer class converted (a subclass may compute something else, so it is not matched). */
  readonly cls: abstract new (
    ...args: never[]
  ) => Layer;
  readonly convert: (ctx: ExportContext, call: LayerCall) => OnnxValue[];
}

/** A typed entry: `convert` receives calls of `cls`'s instances. */
export function converter<L extends Layer>(
  cls: abstract new (...args: never[]) => L,
  convert: (ctx: ExportContext, call: LayerCall<L>) => OnnxValue[],
): ConverterEntry {
  return { cls, convert: convert as (ctx: ExportContext, call: LayerCall) => OnnxValue[] };
}
