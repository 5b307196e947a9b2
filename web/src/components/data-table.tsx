import type { ComponentChildren } from 'preact';
import { TableWrap } from './table-wrap.js';

/** A column: its heading, its cell in a row, and the class both carry (`num`, `hide-narrow`). */
export interface Column<R> {
  readonly head: ComponentChildren;
  readonly cell: (row: R) => ComponentChildren;
  readonly class?: string;
}

/**
 * Rows by columns in a table that scrolls sideways on a narrow screen (TableWrap); the first
 * column's cell heads its row (`<th scope="row">`).
 */
export function DataTable<R>(props: {
  label: string;
  class?: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  /** Extra attributes of a row's `<tr>` (e.g. `data-unit`). */
  rowAttributes?: (row: R) => Record<string, string>;
}) {
  const { columns } = props;
  return (
    <TableWrap label={props.label}>
      <table class={props.class}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={c.class}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} {...props.rowAttributes?.(row)}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={i} scope="row" class={c.class}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={i} class={c.class}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
