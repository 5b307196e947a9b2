import { parse } from 'csv-parse/sync';
for (const s of ['id,name\n1,"a\nb"\n# x\n2,c\n', 'id,name\n\n\n1,a\n2,b', 'id\n1,"x"y\n']) {
try { const recs = parse(s, { relax_column_count: true, skip_empty_lines: true, trim: true, info: true, comment: '#', comment_no_infix: true, bom: true });
console.log(JSON.stringify(recs.map((r: any) => [r.record, r.info.lines, Object.keys(r.info)])));
} catch (e: any) { console.log('ERR', e.code, e.message, e.lines); }
}
