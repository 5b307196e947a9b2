/** The plan's seeded draws and exact splits: the same seed and purpose always give the same numbers. */
import { mulberry32 } from '../../../shared/domain/generate.js';

/** FNV-1a over the text, then a 32-bit finalizer: a seed for mulberry32 per purpose. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded stream for one purpose: `stream(seed, 'day', '2021-03-01', '11950')`. */
export const stream = (seed: number, ...parts: readonly string[]) =>
  mulberry32(hashSeed([String(seed), ...parts].join('|')));

export const between = (random: () => number, min: number, max: number) => min + (max - min) * random();

/** Splits a whole number by weights (largest remainder, ties to the earlier index): the parts sum exactly. */
export function apportionCount(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}
