import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatFromFileName, parseCampaignText } from '../../shared/catalog/parse.js';
import { buildHierarchy } from '../../shared/domain/hierarchy.js';
import type { CampaignFile, Unit } from '../../shared/schemas/campaign.js';

const SCENARIOS = new URL('../../scenarios/', import.meta.url);

async function loadScenario(name: string): Promise<CampaignFile> {
  const { file, problems } = parseCampaignText(
    await readFile(new URL(name, SCENARIOS), 'utf8'),
    formatFromFileName(name),
  );
  if (!file) throw new Error(`${name} does not validate: ${JSON.stringify(problems)}`);
  return file;
}

function childrenOf(file: CampaignFile, id: string): Unit[] {
  return file.units.filter((u) => u.parentId === id);
}

function sum(units: readonly Unit[]): number {
  return units.reduce((total, u) => total + u.target, 0);
}

/** Expects the file's root unit to be this province, with this target and deadline; gives the root. */
function expectRoot(
  file: CampaignFile,
  province: { id: string; name: string },
  target: number,
  deadline: string,
) {
  const root = buildHierarchy(file.units).root;
  expect(root).toMatchObject({ ...province, target, deadline });
  return root;
}

describe('scenarios', () => {
  it('lists the three campaign files', async () => {
    // Act
    const names = (await readdir(SCENARIOS)).filter((n) => /\.(json|csv)$/.test(n)).sort();

    // Assert
    expect(names).toEqual(['hung-yen-2021.csv', 'hung-yen-2021.json', 'thanh-hoa-2021.json']);
  });

  it.each(['hung-yen-2021.json', 'hung-yen-2021.csv', 'thanh-hoa-2021.json'])(
    '%s validates with no errors and no warnings',
    async (name) => {
      // Arrange
      const text = await readFile(new URL(name, SCENARIOS), 'utf8');

      // Act
      const { file, problems } = parseCampaignText(text, formatFromFileName(name));

      // Assert
      expect(problems).toEqual([]);
      expect(file).not.toBeNull();
    },
  );

  describe('hung-yen-2021', () => {
    it('is the province of the letter: 1,109,100 applications by 18/6/2021', async () => {
      // Act
      const file = await loadScenario('hung-yen-2021.json');

      // Assert
      expect(file.campaign).toMatchObject({
        id: 'cccd-2021-hung-yen',
        startDate: '2021-03-01',
        timeZone: 'Asia/Ho_Chi_Minh',
        workingHours: { start: '07:00', end: '22:00' },
        groups: ['official'],
      });
      const root = expectRoot(file, { id: '33', name: 'Tỉnh Hưng Yên' }, 1_109_100, '2021-06-18');
      expect(root.subTargets.map((s) => s.group)).toEqual(['official']);
    });

    it('has the ten real district-level units, summing exactly to the province', async () => {
      // Act
      const file = await loadScenario('hung-yen-2021.json');
      const districts = childrenOf(file, '33');

      // Assert
      expect(districts.map((d) => d.name).sort()).toEqual(
        [
          'Huyện Khoái Châu',
          'Huyện Kim Động',
          'Huyện Phù Cừ',
          'Huyện Tiên Lữ',
          'Huyện Văn Giang',
          'Huyện Văn Lâm',
          'Huyện Yên Mỹ',
          'Huyện Ân Thi',
          'Thành phố Hưng Yên',
          'Thị xã Mỹ Hào',
        ].sort(),
      );
      expect(districts.find((d) => d.id === '323')?.name).toBe('Huyện Văn Lâm');
      expect(sum(districts)).toBe(1_109_100);
    });

    it('has three levels, with 3 to 6 communes per district summing to the district', async () => {
      // Act
      const file = await loadScenario('hung-yen-2021.json');
      const h = buildHierarchy(file.units);

      // Assert
      expect(Math.max(...file.units.map((u) => h.depthOf(u.id)))).toBe(2);
      for (const district of childrenOf(file, '33')) {
        const communes = childrenOf(file, district.id);
        expect(communes.length).toBeGreaterThanOrEqual(3);
        expect(communes.length).toBeLessThanOrEqual(6);
        expect(sum(communes)).toBe(district.target);
      }
    });
  });

  describe('thanh-hoa-2021', () => {
    it('is the province of the directive: 2,900,000 cards by 17/6/2021', async () => {
      // Act
      const file = await loadScenario('thanh-hoa-2021.json');

      // Assert
      expectRoot(file, { id: '38', name: 'Tỉnh Thanh Hóa' }, 2_900_000, '2021-06-17');
      expect(sum(childrenOf(file, '38'))).toBe(2_900_000);
    });

    it('gives Thọ Xuân 85,000 with officials due by the end of April, and a few communes', async () => {
      // Act
      const file = await loadScenario('thanh-hoa-2021.json');

      // Assert
      const thoXuan = file.units.find((u) => u.name === 'Huyện Thọ Xuân');
      expect(thoXuan).toMatchObject({ parentId: '38', target: 85_000, deadline: '2021-06-17' });
      expect(thoXuan?.subTargets).toEqual([
        { group: 'official', target: expect.any(Number), deadline: '2021-04-30' },
      ]);
      const communes = childrenOf(file, thoXuan?.id ?? '');
      expect(communes.length).toBeGreaterThanOrEqual(3);
      expect(sum(communes)).toBe(85_000);
    });
  });
});
