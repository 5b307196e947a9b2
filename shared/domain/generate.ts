/**
 * A synthetic national campaign at the real 2021 scale (63 provinces, 705 districts,
 * 10,599 communes), for load tests, benchmarks and the import path. Deterministic:
 * the same seed gives a byte-identical file, so a benchmark can be re-run on the same data.
 * Codes, names and populations are made up; only the counts follow the real country.
 */
import type { CampaignFileInput, UnitInput } from '../schemas/campaign.js';

export const NATIONAL_SHAPE = { provinces: 63, districts: 705, communes: 10_599 } as const;

export const NATIONAL_CAMPAIGN_ID = 'cccd-2021-national';
const START_DATE = '2021-03-01';
const DEADLINE = '2021-06-30';
const OFFICIAL_DEADLINE = '2021-04-30';
/** Share of a commune's population that must be enrolled (residents of card age without one). */
const TARGET_SHARE = 0.52;
/** Share of a province's target made up of officials, who have the earlier deadline. */
const OFFICIAL_SHARE = 0.05;

export type NationalOptions = { seed: number };

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits `total` into integers proportional to `weights` (largest remainder; ties go to
 * the earlier index), so the parts always sum to exactly `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const quotas = weights.map((w) => (total * w) / sum);
  const parts = quotas.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = quotas
    .map((q, i) => ({ i, r: q - Math.floor(q) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
  }
  return parts;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function generateNational({ seed }: NationalOptions): CampaignFileInput {
  const random = mulberry32(seed);
  const { provinces, districts, communes } = NATIONAL_SHAPE;

  // Province codes: 63 distinct two-digit codes out of 01..96, like the official list (which has gaps).
  const codes = Array.from({ length: 96 }, (_, i) => i + 1);
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [codes[i], codes[j]] = [codes[j] ?? 0, codes[i] ?? 0];
  }
  const provinceCodes = codes.slice(0, provinces).sort((a, b) => a - b);

  // Every province gets at least 5 districts and every district at least 3 communes; the rest by chance.
  const districtsPer = apportion(
    districts - 5 * provinces,
    provinceCodes.map(() => 0.2 + random()),
  ).map((n) => n + 5);
  const communesPer = apportion(
    communes - 3 * districts,
    Array.from({ length: districts }, () => 0.2 + random()),
  ).map((n) => n + 3);

  // Built bottom-up so each parent's target is exactly the sum of its children's.
  const root: UnitInput = {
    id: 'VN',
    parentId: null,
    name: 'Toàn quốc',
    level: 'nation',
    target: 0,
    deadline: DEADLINE,
  };
  const units: UnitInput[] = [root];
  let districtCode = 0;
  let communeCode = 1;
  provinceCodes.forEach((code, p) => {
    const provinceId = pad(code, 2);
    const province: UnitInput = {
      id: provinceId,
      parentId: root.id,
      name: `Tỉnh ${provinceId}`,
      level: 'province',
      target: 0,
      deadline: DEADLINE,
    };
    units.push(province);
    for (let d = 0; d < (districtsPer[p] ?? 0); d++) {
      districtCode += 1;
      const districtId = pad(districtCode, 3);
      const district: UnitInput = {
        id: districtId,
        parentId: provinceId,
        name: `Huyện ${districtId}`,
        level: 'district',
        target: 0,
        deadline: DEADLINE,
      };
      units.push(district);
      for (let c = 0; c < (communesPer[districtCode - 1] ?? 0); c++) {
        const communeId = pad(communeCode, 5);
        communeCode += 3; // official commune codes step by 3, leaving room for later splits
        // Skewed: many small rural communes, a few large urban wards.
        const population = 1_500 + Math.floor(random() ** 2 * 23_000);
        const target = Math.round(population * TARGET_SHARE);
        units.push({
          id: communeId,
          parentId: districtId,
          name: `Xã ${communeId}`,
          level: 'commune',
          target,
          deadline: DEADLINE,
        });
        district.target += target;
      }
      province.target += district.target;
    }
    province.subTargets = [
      {
        group: 'official',
        target: Math.round(province.target * OFFICIAL_SHARE),
        deadline: OFFICIAL_DEADLINE,
      },
    ];
    root.target += province.target;
  });

  return {
    campaign: {
      id: NATIONAL_CAMPAIGN_ID,
      name: `Thu nhận hồ sơ CCCD 2021 — toàn quốc (dữ liệu giả lập, seed ${seed})`,
      timeZone: 'Asia/Ho_Chi_Minh',
      startDate: START_DATE,
      kinds: ['new', 'renewal'],
      groups: ['official'],
      workingHours: { start: '07:00', end: '22:00' },
      thresholds: { atRisk: 1.0, critical: 0.8 },
    },
    units,
  };
}
