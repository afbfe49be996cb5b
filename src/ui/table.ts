import Table from 'cli-table3';

/**
 * A table for people: boxed on a terminal, plain space-aligned columns elsewhere (easy to grep and diff).
 * Cells are plain strings; colour them before passing if wanted.
 */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[], tty: boolean): string {
  if (!tty) return renderPlain(head, rows);
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  table.push(...rows.map((row) => [...row]));
  return table.toString();
}

/** Multi-line cells become extra lines, so each line stays one record of aligned columns. */
function renderPlain(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [head, ...rows.flatMap(expandLines)];
  const widths = head.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '))
    .map((line) => line.trimEnd())
    .join('\n');
}

function expandLines(row: readonly string[]): string[][] {
  const cells = row.map((cell) => cell.split('\n'));
  const height = Math.max(1, ...cells.map((lines) => lines.length));
  return Array.from({ length: height }, (_, line) => cells.map((lines) => lines[line] ?? ''));
}
