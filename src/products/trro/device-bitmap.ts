// Sets of device numbers as bitmaps (bit n = byte n >> 3, mask 1 << (n & 7), the layout of
// PostgreSQL's set_bit on bytea). Pure.

/** How many distinct devices the bitmaps and the extra numbers hold together. */
export function countDevices(bitmaps: readonly Uint8Array[], extra: readonly number[]): number {
  const len = Math.max(0, ...bitmaps.map((b) => b.length), ...extra.map((n) => (n >> 3) + 1));
  const all = new Uint8Array(len);
  for (const b of bitmaps) for (let i = 0; i < b.length; i++) all[i]! |= b[i]!;
  for (const n of extra) all[n >> 3]! |= 1 << (n & 7);
  let count = 0;
  for (let byte of all) {
    while (byte) {
      byte &= byte - 1;
      count++;
    }
  }
  return count;
}
