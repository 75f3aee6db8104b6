/** Typed reads of an ONNX node's attributes, with the node named in errors. */
import { toNumber } from './long.js';
import type { TensorProtoLike } from './tensor-proto.js';

export interface AttributeProtoLike {
  name?: string;
  type?: number;
  f?: number;
  i?: unknown;
  s?: Uint8Array;
  t?: TensorProtoLike;
  floats?: number[];
  ints?: unknown[];
}

const decoder = new TextDecoder();

export class Attributes {
  private readonly byName: Map<string, AttributeProtoLike>;

  constructor(
    list: readonly AttributeProtoLike[],
    private readonly where: string,
  ) {
    this.byName = new Map(list.map((a) => [a.name ?? '', a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? toNumber(a.i ?? 0) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? (a.f ?? 0) : fallback;
  }

  ints(name: string, fallback: number[] | null = null): number[] | null {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []).map(toNumber) : fallback;
  }

  floats(name: string): number[] | null {
    const a = this.byName.get(name);
    return a ? (a.floats ?? []).slice() : null;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? decoder.decode(a.s) : fallback;
  }

  tensor(name: string): TensorProtoLike | null {
    return this.byName.get(name)?.t ?? null;
  }

  /** Refuses attribute values capa does not implement, naming the node. */
  expect(name: string, ok: boolean, detail: string): void {
    if (!ok) throw new Error(`${this.where}: attribute '${name}' ${detail}`);
  }
}
