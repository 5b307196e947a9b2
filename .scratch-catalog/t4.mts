import { IsoDate, CampaignFile } from '../shared/schemas/campaign.js';
console.log(JSON.stringify(IsoDate.safeParse('2021/06/31').error?.issues));
console.log(JSON.stringify(CampaignFile.safeParse({campaign: {id:'x', thresholds: {atRisk: 'a'}}, units: [{id: 3, parentId: 4}]}).error?.issues));
