import type { SeriesState } from './series';

// A series' state as one small binary value (otel_series.state): the database never looks inside it, and one
// bytea is far cheaper to write than several array columns. Little-endian; the first byte is the format.

const FORMAT = 1;

export function encodeState(state: SeriesState): Buffer {
  const size = 1 + 8 + 8 + 8 + 2 + 8 * state.buckets.length + 2 + 8 * state.bounds.length + 2 + 8 * state.recentNs.length;
  const buffer = Buffer.allocUnsafe(size);
  let at = buffer.writeUInt8(FORMAT, 0);
  at = buffer.writeBigInt64LE(state.startNs, at);
  at = buffer.writeBigInt64LE(state.lastNs, at);
  at = buffer.writeDoubleLE(state.count, at);
  at = buffer.writeUInt16LE(state.buckets.length, at);
  for (const b of state.buckets) at = buffer.writeDoubleLE(b, at);
  at = buffer.writeUInt16LE(state.bounds.length, at);
  for (const b of state.bounds) at = buffer.writeDoubleLE(b, at);
  at = buffer.writeUInt16LE(state.recentNs.length, at);
  for (const t of state.recentNs) at = buffer.writeBigInt64LE(t, at);
  return buffer;
}

/** Throws on a value this code did not write (a corrupt row must not be read as counts). */
export function decodeState(buffer: Buffer): SeriesState {
  if (buffer.length < 29 || buffer.readUInt8(0) !== FORMAT) throw new Error(`otel series state: unknown format (${buffer.length} bytes)`);
  let at = 1;
  const startNs = buffer.readBigInt64LE(at);
  const lastNs = buffer.readBigInt64LE((at += 8));
  const count = buffer.readDoubleLE((at += 8));
  at += 8;
  const list = <T>(read: (offset: number) => T): T[] => {
    const n = buffer.readUInt16LE(at);
    at += 2;
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++, at += 8) out[i] = read(at);
    return out;
  };
  const buckets = list((o) => buffer.readDoubleLE(o));
  const bounds = list((o) => buffer.readDoubleLE(o));
  const recentNs = list((o) => buffer.readBigInt64LE(o));
  if (at !== buffer.length) throw new Error('otel series state: trailing bytes');
  return { startNs, lastNs, count, buckets, bounds, recentNs };
}
