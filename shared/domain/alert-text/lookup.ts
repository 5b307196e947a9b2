/** A table's own entry (never one inherited from Object.prototype, such as `constructor`). */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string | null): T | undefined {
  return key !== null && Object.hasOwn(table, key) ? table[key] : undefined;
}
