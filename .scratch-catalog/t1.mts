import { parseTree, findNodeAtLocation, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
const errors: ParseError[] = [];
const t = parseTree('{"a": [1, {"b": 2}],\n "c": 3,}', errors, { disallowComments: true, allowTrailingComma: false });
console.log(errors.map(e => [printParseErrorCode(e.error), e.offset]), findNodeAtLocation(t!, ['a', 1, 'b'])?.offset);
const recs = parse('# c\nid,name\n\n1,"a\nb"\n# x\n2,c\n3,"d" e\n', { relax_column_count: true, skip_empty_lines: true, trim: true, info: true, comment: '#', comment_no_infix: true, bom: true, skip_records_with_error: false });
console.log(JSON.stringify(recs.map((r: any) => [r.record, r.info.lines, r.info.index])));
