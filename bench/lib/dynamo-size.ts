/**
 * DynamoDB item sizes and capacity units, by the rules AWS publishes
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * strings are their UTF-8 bytes; binary values their bytes; a number is about 1 byte per two significant digits plus 1;
 * booleans and null 1 byte; a list or map 3 bytes plus 1 byte and its size per element
 * (a map's element names count too); every top-level attribute name counts.
 * A write consumes 1 WRU per started 1 KB of the larger of the item before and after;
 * a read 1 RRU per started 4 KB (half for eventually consistent reads).
 */

export function valueSize(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (value instanceof Uint8Array) return value.length; // Binary: its bytes
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    // Fast path for counts: significant digits without trailing zeros.
    let n = Math.abs(value);
    if (n === 0) return 2;
    while (n % 10 === 0) n /= 10;
    return Math.ceil(String(n).length / 2) + 1;
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value)
      .replace(/^-/, '')
      .replace(/e.*$/i, '')
      .replace('.', '')
      .replace(/^0+/, '')
      .replace(/0+$/, '');
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      size += 1 + Buffer.byteLength(name, 'utf8') + valueSize(v);
    }
    return size;
  }
  throw new Error(`no DynamoDB size for a ${typeof value}`);
}

/** Size of an item: every attribute's name and value (undefined attributes are not stored). */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

/** Write request units of one standard write (PutItem / UpdateItem, failed conditions included). */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** Read request units of reading `bytes` in one request (a Query page, or one item of a BatchGet/GetItem). */
export const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
