/**
 * A small RFC 4180 CSV reader: quoted fields may hold commas, quotes (`""`) and newlines.
 * SkyPilot's vms.csv quotes its GpuInfo column, so a naive `split(",")` is wrong.
 */

/** Parse CSV text into rows of fields. Blank lines are skipped; `\r\n` and `\n` both end a row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRow = (): void => {
    row.push(field);
    field = "";
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
  };
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i += 1;
      continue;
    }
    if (c === ",") {
      row.push(field);
      field = "";
      i += 1;
      continue;
    }
    if (c === "\r") {
      i += 1;
      continue;
    }
    if (c === "\n") {
      endRow();
      i += 1;
      continue;
    }
    field += c;
    i += 1;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}

/** A CSV row keyed by its header names, plus its 1-based line number in the file (header = 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Parse CSV text with a header row into records. Throws when a column in `required` is missing,
 * naming it, so a wrong file fails loudly instead of importing garbage.
 */
export function parseCsvRecords(
  text: string,
  required: readonly string[] = [],
  label = "csv",
): { header: string[]; records: CsvRecord[] } {
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => h.trim());
  for (const col of required) {
    if (!header.includes(col)) throw new Error(`${label}: missing column "${col}" (header is: ${header.join(",")})`);
  }
  const records: CsvRecord[] = [];
  for (let r = 1; r < rows.length; r += 1) {
    const cells = rows[r] ?? [];
    const fields: Record<string, string> = {};
    header.forEach((h, idx) => {
      fields[h] = (cells[idx] ?? "").trim();
    });
    records.push({ line: r + 1, fields });
  }
  return { header, records };
}
