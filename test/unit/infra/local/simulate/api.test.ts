/** The simulator's leader registration (infra/local/simulate/api.ts registerLeaders), over a recording fake of its admin client. */
import { describe, expect, it } from 'vitest';
import { type Api, registerLeaders } from '../../../../../infra/local/simulate/api.js';
import type { LeaderSpec } from '../../../../../infra/local/simulate/plan.js';

const CAMPAIGN = 'cccd-2021-hung-yen';
const LEADERS: LeaderSpec[] = [
  {
    unitId: '33',
    name: 'Chủ tịch UBND Tỉnh Hưng Yên',
    sms: '0912345678',
    email: 'chutich-33@sim.example.vn',
    lang: 'vi',
  },
  { unitId: '323', name: 'Chair, Huyện Văn Lâm', email: 'chutich-323@sim.example.vn', lang: 'en' },
];

/** An Api that answers GET …/recipients with `registered` and records every call. */
function fakeApi(registered: unknown[]) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const api = {
    url: 'http://127.0.0.1:3000',
    async request(method: string, path: string, body?: unknown) {
      calls.push({ method, path, ...(body !== undefined && { body }) });
      return method === 'GET' ? { recipients: registered } : {};
    },
  } as unknown as Api;
  return { api, calls, posted: () => calls.filter((c) => c.method === 'POST').map((c) => c.body) };
}

describe('registerLeaders()', () => {
  it('attached: leaves out a leader whose number another recipient holds, says so, and registers the others', async () => {
    // Arrange: an administrator registered the README's leader of 33 with the same number
    const { api, posted } = fakeApi([
      {
        id: 'r-shbzvo5rdh',
        unitId: '33',
        name: 'Chủ tịch UBND tỉnh',
        sms: '+84912345678',
        email: 'ct@hungyen.gov.vn',
      },
    ]);
    // Act
    const notes = await registerLeaders(api, CAMPAIGN, LEADERS, true);
    // Assert
    expect(notes).toEqual([
      'leader of 33 not registered: +84912345678 already belongs to r-shbzvo5rdh ("Chủ tịch UBND tỉnh", unit 33), which receives its messages',
    ]);
    expect(posted()).toEqual([
      { unitId: '323', name: 'Chair, Huyện Văn Lâm', email: 'chutich-323@sim.example.vn', lang: 'en' },
    ]);
  });

  it('attached: leaves out a leader whose address another recipient holds (case aside)', async () => {
    const { api, posted } = fakeApi([
      { id: 'r-aaaaaaaaaa', unitId: '324', name: 'Someone', email: 'ChuTich-323@sim.example.vn' },
    ]);
    // Act
    const notes = await registerLeaders(api, CAMPAIGN, LEADERS, true);
    // Assert
    expect(notes).toEqual([
      'leader of 323 not registered: chutich-323@sim.example.vn already belongs to r-aaaaaaaaaa ("Someone", unit 324), which receives its messages',
    ]);
    expect(posted()).toEqual([expect.objectContaining({ unitId: '33', sms: '0912345678' })]);
  });

  it('attached: a leader already registered under its own name is left alone without a note', async () => {
    const { api, posted } = fakeApi([
      { id: 'r-bbbbbbbbbb', unitId: '33', name: 'Chủ tịch UBND Tỉnh Hưng Yên', sms: '+84912345678' },
    ]);
    // Act
    const notes = await registerLeaders(api, CAMPAIGN, LEADERS, true);
    // Assert
    expect(notes).toEqual([]);
    expect(posted()).toEqual([expect.objectContaining({ unitId: '323' })]);
  });

  it('on its own fresh store: registers every leader without reading the registry', async () => {
    const { api, calls, posted } = fakeApi([]);
    // Act
    const notes = await registerLeaders(api, CAMPAIGN, LEADERS, false);
    // Assert
    expect(notes).toEqual([]);
    expect(calls.some((c) => c.method === 'GET')).toBe(false);
    expect(posted()).toHaveLength(2);
  });
});
