/** protobufjs decodes int64 fields as Long objects (or numbers); the importer wants numbers. */
interface LongLike {
  toNumber(): number;
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value !== null && typeof value === 'object' && typeof (value as LongLike).toNumber === 'function') {
    return (value as LongLike).toNumber();
  }
  return Number.NaN;
}
