import { parse } from 'csv-parse/sync';
const recs = parse('id,name\r\n1,"a\r\nb"\r\n# x\r\n\r\n2,c\r\n3,d', { relax_column_count: true, skip_empty_lines: true, trim: true, info: true, raw: true, comment: '#', comment_no_infix: true, bom: true });
console.log(JSON.stringify(recs.map((r: any) => [r.record, r.info.lines, r.raw])));
import { z } from 'zod';
const S = z.strictObject({ a: z.string(), b: z.number().int().nonnegative('neg'), p: z.string().nullable(), d: z.array(z.string()).default([]) });
const r = S.safeParse({ b: -1.5, p: 3, x: 1, y: 2 }, { error: (iss) => { console.log('ISS', iss.code, (iss as any).expected, iss.input); return undefined; } });
console.log(JSON.stringify(r.error?.issues, null, 0));
