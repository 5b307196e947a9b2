/**
 * The roll-up's watermarks in a compact form (the exactly-once rule is at the top of
 * shared/rollup/apply.ts). A DAY item keeps one attribute per stream shard that wrote it recently:
 *
 * - name: `shardKey(shardId)`. AWS names shards `shardId-<20 digits>-<8 hex>`; both parts are packed,
 *   losslessly, into one number written in base 64 with an alphabet in ASCII order (12–13 characters
 *   instead of 37). Any other form is kept whole behind `~`, which the alphabet lacks, so two shards
 *   never share a name.
 * - value: Binary `[n][n bytes: the sequence number, big-endian][1 byte: hour of the write]`.
 *   Sequence numbers are decimal strings of 21–40 digits (compare as integers, never as strings);
 *   as length-prefixed big-endian bytes they compare, byte by byte unsigned as DynamoDB compares
 *   Binary, exactly as the integers do: a longer number has a greater length byte, numbers of one
 *   length first differ where their bytes differ. The hour suffix never decides a comparison with a
 *   bare encoded sequence number, because two different numbers differ before it ends:
 *   `stored < encodeSeq(from)` ⇔ stored sequence < from, and
 *   `encodeSeq(s) <= stored < encodeSeq(s + 1)` ⇔ stored sequence = s.
 *   The hour (epoch hours modulo 256, ~10 days) says when the shard last wrote the item, so the
 *   watermark can be pruned once no record at or below it can be delivered again (see
 *   WATERMARK_PRUNE_AFTER_HOURS). An age read modulo 256 is never more than the true age, so a
 *   watermark is never pruned early; a very old one may look young and is merely kept.
 *
 * A 28-digit AWS sequence number takes 12 bytes: with its name a watermark is 27 bytes (it was ~90 as
 * `w:<shardId>` = `<40 padded digits>|<epoch seconds>`), so a DAY item written by the ≤ 32 shards of
 * its last 29 hours (4 shards replaced every ~4 h) stays under 1 KB, one write unit per write.
 */

/** Base 64 digits in ascending ASCII order. */
const DIGITS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const AWS_SHARD_ID = /^shardId-(\d{20})-([0-9a-f]{8})$/;
/** Shard keys are at least this long, so they never meet the names of counts (`n`, `k:…`) or keys. */
const MIN_KEY_LENGTH = 12;

/**
 * Stream records reach the roll-up only while younger than the mapping's maximum record age
 * (infra/topology.ts: 24 h, which is also the stream's retention). A watermark whose hour is this
 * many hours old was written at least 25 h ago, so every record at or below it is older than 24 h:
 * none can be delivered again, and the watermark can go.
 */
export const WATERMARK_PRUNE_AFTER_HOURS = 26;
/** The record age the pruning rule relies on (infra/topology.ts must not allow more). */
export const MAX_DELIVERABLE_RECORD_AGE_SECONDS = 86_400;

/** The attribute name of a shard's watermark. Injective: different shards, different names. */
export function shardKey(shardId: string): string {
  const m = AWS_SHARD_ID.exec(shardId);
  if (!m) return `~${shardId}`;
  let n = (BigInt(m[1] as string) << 32n) | BigInt(`0x${m[2]}`);
  let out = '';
  while (n > 0n) {
    out = DIGITS[Number(n & 63n)] + out;
    n >>= 6n;
  }
  return out.padStart(MIN_KEY_LENGTH, DIGITS[0]);
}

/** A sequence number as length-prefixed big-endian bytes (order-preserving). */
export function encodeSeq(seq: string | bigint): Uint8Array {
  let n = typeof seq === 'bigint' ? seq : BigInt(seq);
  if (n < 0n) throw new Error(`negative sequence number ${seq}`);
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 255n));
    n >>= 8n;
  }
  return Uint8Array.from([bytes.length, ...bytes]);
}

export const epochHour = (epochSeconds: number) => Math.floor(epochSeconds / 3600) & 0xff;

/** The stored value: the encoded sequence number and the hour of the write. */
export function watermarkValue(seq: string, epochSeconds: number): Uint8Array {
  const encoded = encodeSeq(seq);
  const hour = epochHour(epochSeconds);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  out[encoded.length] = hour;
  return out;
}

/** The sequence number (decimal) and hour of a stored value; null when it is not a watermark. */
export function decodeWatermark(value: unknown): { seq: string; hour: number } | null {
  if (!(value instanceof Uint8Array) || value.length < 2) return null;
  const length = value[0] as number;
  if (value.length !== length + 2) return null;
  let n = 0n;
  for (let i = 1; i <= length; i++) n = (n << 8n) | BigInt(value[i] as number);
  return { seq: n.toString(), hour: value[length + 1] as number };
}

/** Hours since the watermark was written (modulo 256: never more than the true age; old ones are kept). */
export function watermarkAgeHours(value: unknown, epochSeconds: number): number | null {
  const decoded = decodeWatermark(value);
  if (!decoded) return null;
  return (epochHour(epochSeconds) - decoded.hour + 0x100) & 0xff;
}

/** Unsigned byte-wise comparison, as DynamoDB compares Binary values: -1, 0 or 1. */
export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Whether a stored watermark value holds exactly the sequence number `seq` (the store's condition). */
export function holdsSeq(stored: Uint8Array, seq: string): boolean {
  return compareBytes(stored, encodeSeq(seq)) >= 0 && compareBytes(stored, encodeSeq(BigInt(seq) + 1n)) < 0;
}

/** Whether a stored watermark value is below `seq` (the store's first-attempt condition). */
export const isBelow = (stored: Uint8Array, seq: string) => compareBytes(stored, encodeSeq(seq)) < 0;
