import { writeFileSync } from 'node:fs';
import { apportion } from '../shared/domain/generate.js';
import { checkCampaign } from '../shared/domain/catalog.js';
import { campaignToCsv } from '../shared/catalog/parse.js';
import type { UnitInput, CampaignFileInput } from '../shared/schemas/campaign.js';

type D = { id: string; name: string; target: number; communes: [string, number][] };
function build(provinceUnit: UnitInput, districts: D[], communeStart: number, deadline: string, subs: Record<string, UnitInput['subTargets']> = {}) {
  const units: UnitInput[] = [provinceUnit];
  let code = communeStart;
  for (const d of districts) units.push({ id: d.id, parentId: provinceUnit.id, name: d.name, level: 'district', target: d.target, deadline, ...(subs[d.id] ? { subTargets: subs[d.id] } : {}) });
  for (const d of districts) {
    if (d.communes.length === 0) continue;
    const parts = apportion(d.target / 100, d.communes.map(([, w]) => w)).map((n) => n * 100);
    d.communes.forEach(([name, _w], i) => {
      units.push({ id: String(code).padStart(5, '0'), parentId: d.id, name, level: 'commune', target: parts[i]!, deadline });
      code += 3;
    });
  }
  return units;
}
const campaignBase = { timeZone: 'Asia/Ho_Chi_Minh', startDate: '2021-03-01', kinds: ['new', 'renewal'], groups: ['official'], workingHours: { start: '07:00', end: '22:00' }, thresholds: { atRisk: 1.0, critical: 0.8 } };

const hy: D[] = [
  { id: '325', name: 'Thành phố Hưng Yên', target: 96_500, communes: [['Phường Lê Lợi', 3], ['Phường Minh Khai', 3], ['Phường Quang Trung', 2], ['Phường Hiến Nam', 3], ['Xã Bảo Khê', 2]] },
  { id: '328', name: 'Thị xã Mỹ Hào', target: 91_200, communes: [['Phường Bần Yên Nhân', 4], ['Phường Phùng Chí Kiên', 3], ['Phường Nhân Hòa', 3], ['Xã Hưng Long', 2]] },
  { id: '323', name: 'Huyện Văn Lâm', target: 90_000, communes: [['Thị trấn Như Quỳnh', 4], ['Xã Lạc Đạo', 3], ['Xã Chỉ Đạo', 2], ['Xã Đình Dù', 2]] },
  { id: '326', name: 'Huyện Văn Giang', target: 105_800, communes: [['Thị trấn Văn Giang', 3], ['Xã Xuân Quan', 2], ['Xã Phụng Công', 3], ['Xã Cửu Cao', 2]] },
  { id: '327', name: 'Huyện Yên Mỹ', target: 138_400, communes: [['Thị trấn Yên Mỹ', 4], ['Xã Trung Hưng', 2], ['Xã Giai Phạm', 3], ['Xã Liêu Xá', 3], ['Xã Tân Lập', 2]] },
  { id: '329', name: 'Huyện Ân Thi', target: 120_300, communes: [['Thị trấn Ân Thi', 3], ['Xã Đặng Lễ', 2], ['Xã Quảng Lãng', 2], ['Xã Bắc Sơn', 2]] },
  { id: '330', name: 'Huyện Khoái Châu', target: 182_600, communes: [['Thị trấn Khoái Châu', 3], ['Xã Dạ Trạch', 3], ['Xã Bình Minh', 3], ['Xã Đông Tảo', 2], ['Xã Tân Châu', 2], ['Xã Đông Kết', 2]] },
  { id: '331', name: 'Huyện Kim Động', target: 113_900, communes: [['Thị trấn Lương Bằng', 3], ['Xã Toàn Thắng', 2], ['Xã Nghĩa Dân', 2]] },
  { id: '332', name: 'Huyện Tiên Lữ', target: 93_700, communes: [['Thị trấn Vương', 3], ['Xã Hưng Đạo', 2], ['Xã Thủ Sỹ', 2], ['Xã Hải Triều', 2]] },
  { id: '333', name: 'Huyện Phù Cừ', target: 76_700, communes: [['Thị trấn Trần Cao', 3], ['Xã Quang Hưng', 2], ['Xã Đoàn Đào', 2], ['Xã Tống Phan', 2]] },
];
console.log('HY sum', hy.reduce((a, d) => a + d.target, 0));
const hyFile: CampaignFileInput = {
  campaign: { id: 'cccd-2021-hung-yen', name: 'Thu nhận hồ sơ CCCD 2021 — Hưng Yên', ...campaignBase },
  units: build({ id: '33', parentId: null, name: 'Tỉnh Hưng Yên', level: 'province', target: 1_109_100, deadline: '2021-06-18', subTargets: [{ group: 'official', target: 30_000, deadline: '2021-04-30' }] }, hy, 11_950, '2021-06-18'),
};

// Thanh Hóa: 27 district-level units of 2021; Thọ Xuân 85,000 (document), the rest made up.
const th: [string, string, number][] = [
  ['380', 'Thành phố Thanh Hóa', 26], ['381', 'Thị xã Bỉm Sơn', 4], ['382', 'Thành phố Sầm Sơn', 8], ['384', 'Huyện Mường Lát', 3],
  ['385', 'Huyện Quan Hóa', 4], ['386', 'Huyện Bá Thước', 8], ['387', 'Huyện Quan Sơn', 3], ['388', 'Huyện Lang Chánh', 4],
  ['389', 'Huyện Ngọc Lặc', 11], ['390', 'Huyện Cẩm Thủy', 9], ['391', 'Huyện Thạch Thành', 11], ['392', 'Huyện Hà Trung', 9],
  ['393', 'Huyện Vĩnh Lộc', 7], ['394', 'Huyện Yên Định', 12], ['395', 'Huyện Thọ Xuân', 0], ['396', 'Huyện Thường Xuân', 7],
  ['397', 'Huyện Triệu Sơn', 14], ['398', 'Huyện Thiệu Hóa', 11], ['399', 'Huyện Hoằng Hóa', 17], ['400', 'Huyện Hậu Lộc', 12],
  ['401', 'Huyện Nga Sơn', 10], ['402', 'Huyện Như Xuân', 5], ['403', 'Huyện Như Thanh', 6], ['404', 'Huyện Nông Cống', 13],
  ['405', 'Huyện Đông Sơn', 6], ['406', 'Huyện Quảng Xương', 15], ['407', 'Thị xã Nghi Sơn', 19],
];
const others = th.filter(([id]) => id !== '395');
const otherTargets = apportion((2_900_000 - 85_000) / 100, others.map(([, , w]) => w)).map((n) => n * 100);
const thD: D[] = th.map(([id, name]) => id === '395'
  ? { id, name, target: 85_000, communes: [['Thị trấn Thọ Xuân', 3], ['Thị trấn Lam Sơn', 2], ['Thị trấn Sao Vàng', 2], ['Xã Xuân Lập', 2], ['Xã Thọ Lập', 2]] }
  : { id, name, target: otherTargets[others.findIndex(([o]) => o === id)]!, communes: [] });
const thFile: CampaignFileInput = {
  campaign: { id: 'cccd-2021-thanh-hoa', name: 'Thu nhận hồ sơ CCCD 2021 — Thanh Hóa', ...campaignBase },
  units: build({ id: '38', parentId: null, name: 'Tỉnh Thanh Hóa', level: 'province', target: 2_900_000, deadline: '2021-06-17' }, thD, 14_800, '2021-06-17',
    { '395': [{ group: 'official', target: 6_500, deadline: '2021-04-30' }] }),
};
for (const [name, f] of [['hung-yen-2021', hyFile], ['thanh-hoa-2021', thFile]] as const) {
  const r = checkCampaign(f);
  console.log(name, f.units.length, r.problems);
  const oneLine = (v: unknown): string => JSON.stringify(v).replace(/^\{/, '{ ').replace(/\}$/, ' }').replace(/,"/g, ', "').replace(/":/g, '": ').replace(/\[\{/g, '[{ ').replace(/\}\]/g, ' }]');
  const text = `{\n  "campaign": ${JSON.stringify(f.campaign, null, 2).replace(/\n/g, '\n  ')},\n  "units": [\n${f.units.map((u) => `    ${oneLine(u)}`).join(',\n')}\n  ]\n}\n`;
  writeFileSync(`scenarios/${name}.json`, text);
  if (name === 'hung-yen-2021') writeFileSync(`scenarios/${name}.csv`, campaignToCsv(r.file!));
}
