import { describe, expect, it } from 'vitest';
import {
  campaignToCsv,
  formatFromFileName,
  formatProblem,
  parseCampaignText,
} from '../../../../shared/catalog/parse.js';
import type { CatalogProblem } from '../../../../shared/domain/catalog.js';
import { generateNational } from '../../../../shared/domain/generate.js';
import { CampaignFile } from '../../../../shared/schemas/campaign.js';
import { scenario } from '../../../support/campaign-text.js';

describe('CSV and JSON forms', () => {
  it('give the same Hưng Yên campaign', async () => {
    // Arrange
    const [json, csv] = await Promise.all([scenario('hung-yen-2021.json'), scenario('hung-yen-2021.csv')]);

    // Act
    const fromJson = parseCampaignText(json, 'json');
    const fromCsv = parseCampaignText(csv, 'csv');

    // Assert
    expect(fromCsv.problems).toEqual([]);
    expect(fromJson.problems).toEqual([]);
    expect(fromCsv.file).toEqual(fromJson.file);
  });

  it('round-trip through campaignToCsv, national scale included', () => {
    // Arrange
    const file = CampaignFile.parse(generateNational({ seed: 5 }));

    // Act
    const back = parseCampaignText(campaignToCsv(file), 'csv');

    // Assert
    expect(back.problems).toEqual([]);
    expect(back.file).toEqual(file);
  });

  it('round-trip names that need quoting', () => {
    // Arrange
    const file = CampaignFile.parse({
      campaign: { id: 'cccd-2021-x', name: 'X', startDate: '2021-03-01', groups: [] },
      units: [
        { id: '1', parentId: null, name: '#1, "the" root', level: 'p', target: 5, deadline: '2021-06-18' },
        { id: '2', parentId: '1', name: ' =SUM(A1) ', level: 'd', target: 5, deadline: '2021-06-18' },
      ],
    });

    // Act
    const back = parseCampaignText(campaignToCsv(file), 'csv');

    // Assert
    expect(back.problems).toEqual([]);
    expect(back.file).toEqual(file);
  });
});

describe('formatFromFileName()', () => {
  it.each([
    ['scenarios/hung-yen-2021.json', 'json'],
    ['UNITS.CSV', 'csv'],
  ] as const)('%s → %s', (name, format) => {
    // Act / Assert
    expect(formatFromFileName(name)).toBe(format);
  });

  it('refuses other file names, naming the file', () => {
    // Act / Assert
    expect(() => formatFromFileName('units.xlsx')).toThrow(/"units.xlsx".*\.json or \.csv/);
  });
});

describe('formatProblem()', () => {
  it('writes file:line: severity: path: message', () => {
    // Arrange
    const p: CatalogProblem = {
      severity: 'error',
      path: 'units[12].parentId',
      line: 14,
      message: 'unknown parent "999"',
    };

    // Act / Assert
    expect(formatProblem('units.csv', p)).toBe(
      'units.csv:14: error: units[12].parentId: unknown parent "999"',
    );
  });

  it('leaves out the line and the path when there are none', () => {
    // Arrange
    const p: CatalogProblem = { severity: 'warning', path: '', message: 'something' };

    // Act / Assert
    expect(formatProblem('units.csv', p)).toBe('units.csv: warning: something');
  });
});
