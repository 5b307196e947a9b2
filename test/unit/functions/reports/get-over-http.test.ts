/** One report as CSV through the local gateway over HTTP: the BOM survives the Lambda result. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_CONTENT_TYPE } from '../../../../functions/reports.js';
import { createGateway } from '../../../../infra/local/gateway.js';
import { reportToCsv } from '../../../../shared/domain/report-render.js';
import { aBearerToken } from '../../../support/builders.js';
import { aReportsHandler, aUnitReport, CAMPAIGN, MemoryReportStore } from '../../../support/reports-api.js';

describe('GET /v1/campaigns/{campaignId}/reports/{reportId}', () => {
  const report = aUnitReport('33', '2021-W13');

  describe('through the local gateway, over HTTP', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const local = aReportsHandler(new MemoryReportStore(report));
      server = createGateway({
        verify: async () => ({ sub: 'tinh-33', scope: 'progress:read', units: ['33'] }),
        routes: [
          {
            method: 'GET',
            path: '/v1/campaigns/{campaignId}/reports/{reportId}',
            auth: 'jwt',
            scopes: ['progress:read'],
            functionName: 'Reports',
            handler: local,
          },
        ],
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends the CSV with its BOM as the first three bytes, and the headers', async () => {
      // Act
      const response = await fetch(`${base}/v1/campaigns/${CAMPAIGN}/reports/33%3A2021-W13`, {
        headers: {
          authorization: `Bearer ${aBearerToken({ sub: 'tinh-33', scope: 'progress:read', units: ['33'] })}`,
          accept: 'text/csv',
        },
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      // Assert
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(CSV_CONTENT_TYPE);
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="bao-cao-33-2021-W13.csv"',
      );
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8')).toBe(reportToCsv(report, 'vi'));
    });
  });
});
