/**
 * A small, safe unpickler for the Python pickles Keras's datasets ship: NumPy object arrays
 * inside imdb.npz / reuters.npz (protocol 3), and the CIFAR batch files (protocol 2 dicts of a
 * uint8 ndarray and lists). It builds only lists, tuples, dicts, numbers, strings, bytes and
 * NumPy arrays; any other class a pickle names is refused, so a file cannot run code.
 */

export interface NdArray {
  kind: 'ndarray';
  shape: number[];
  /** NumPy's dtype string: '<i8', '|u1', '|O', ... */
  descr: string;
  /** Raw bytes (numeric dtypes) or the objects (dtype object). */
  data: Uint8Array | unknown[];
}

interface Global {
  kind: 'global';
  name: string;
}
interface DType {
  kind: 'dtype';
  descr: string;
}

const ALLOWED = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  '_codecs.encode',
]);

const MARK = Symbol('mark');
/** Python 2 str keys (CIFAR's b'data') arrive as bytes: key dicts by their text. */
const dictKey = (k: unknown): unknown => (k instanceof Uint8Array ? latin1(k) : k);
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

export function unpickle(bytes: Uint8Array, what: string): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder();
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  const fail = (msg: string): never => {
    throw new Error(`${what}: ${msg} (at byte ${pos} of the pickle).`);
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) fail('truncated pickle');
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated pickle');
    const s = latin1(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('MARK expected');
    const items = stack.splice(at);
    items.shift();
    return items;
  };
  const top = (): unknown => stack[stack.length - 1];
  const u32 = (): number => {
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const reduce = (fn: unknown, args: unknown): unknown => {
    const name = (fn as Global).name;
    const a = args as unknown[];
    if (name.endsWith('_reconstruct')) return { kind: 'ndarray', shape: [], descr: '', data: [] } satisfies NdArray;
    if (name === 'numpy.dtype') return { kind: 'dtype', descr: String(a[0]) } satisfies DType;
    if (name === '_codecs.encode') return Uint8Array.from(String(a[0]), (c) => c.charCodeAt(0));
    return fail(`cannot call ${name}`);
  };
  const build = (obj: unknown, state: unknown): void => {
    const s = state as unknown[];
    if ((obj as DType).kind === 'dtype') {
      const order = String(s[1]);
      const d = obj as DType;
      const base = d.descr.replace(/^[<>|=]/, '');
      d.descr = base === 'O8' || base === 'O' ? '|O' : `${order === '=' ? '<' : order}${base}`;
      return;
    }
    if ((obj as NdArray).kind === 'ndarray') {
      const a = obj as NdArray;
      a.shape = (s[1] as number[]).slice();
      a.descr = (s[2] as DType).descr;
      if (s[3]) fail('Fortran-ordered arrays are not supported');
      const raw = s[4];
      a.data =
        raw instanceof Uint8Array
          ? raw
          : typeof raw === 'string'
            ? Uint8Array.from(raw, (c) => c.charCodeAt(0))
            : (raw as unknown[]);
      return;
    }
    fail('BUILD on an object capa does not build');
  };
  for (;;) {
    const op = take(1)[0] as number;
    switch (op) {
      case 0x80: // PROTO
        pos += 1;
        break;
      case 0x95: // FRAME
        pos += 8;
        break;
      case 0x63: {
        // GLOBAL
        const name = `${line()}.${line()}`;
        if (!ALLOWED.has(name)) fail(`refusing to load the class or function ${name}`);
        stack.push({ kind: 'global', name } satisfies Global);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const n = stack.pop() as string;
        const m = stack.pop() as string;
        const name = `${m}.${n}`;
        if (!ALLOWED.has(name)) fail(`refusing to load the class or function ${name}`);
        stack.push({ kind: 'global', name } satisfies Global);
        break;
      }
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85:
        stack.push([stack.pop()]);
        break;
      case 0x86: {
        const b = stack.pop();
        stack.push([stack.pop(), b]);
        break;
      }
      case 0x87: {
        const c = stack.pop();
        const b = stack.pop();
        stack.push([stack.pop(), b, c]);
        break;
      }
      case 0x61: {
        // APPEND
        const v = stack.pop();
        (top() as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top() as unknown[];
        for (const v of items) list.push(v);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map<unknown, unknown>());
        break;
      case 0x73: {
        // SETITEM
        const v = stack.pop();
        const k = stack.pop();
        (top() as Map<unknown, unknown>).set(dictKey(k), v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const dict = top() as Map<unknown, unknown>;
        for (let i = 0; i + 1 < items.length; i += 2) dict.set(dictKey(items[i]), items[i + 1]);
        break;
      }
      case 0x4b: // BININT1
        stack.push(take(1)[0]);
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x8a: {
        // LONG1
        const n = take(1)[0] as number;
        const b = take(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
        if (n > 0 && (b[n - 1] as number) & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x49: {
        // INT (text)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x47: // BINFLOAT
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8.decode(take(take(1)[0] as number)));
        break;
      case 0x54: // BINSTRING (Python 2 str): kept as bytes
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x55: // SHORT_BINSTRING
      case 0x43: // SHORT_BINBYTES
        stack.push(take(take(1)[0] as number).slice());
        break;
      case 0x71: // BINPUT
        memo.set(take(1)[0] as number, top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(memo.get(take(1)[0] as number));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo.get(u32()));
        break;
      case 0x52: {
        // REDUCE
        const args = stack.pop();
        const fn = stack.pop();
        stack.push(reduce(fn, args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = stack.pop();
        stack.push(reduce(stack.pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = stack.pop();
        build(top(), state);
        break;
      }
      case 0x2e: // STOP
        return stack.pop();
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16)}`);
    }
  }
}
