import { parquetMetadata } from 'hyparquet';
import { everyTypeContract } from './everyTypeContract';
import { checkParquetMetadata } from '../../src/activities/validation/parquetCheck';
import { closeParquetWriter, parquetFile, type FixtureColumn } from '../emulator/parquetFixtures';

const ordersContract = everyTypeContract('parquet');

const day = new Date('2024-01-15T00:00:00Z');
const at = new Date('2024-01-15T08:12:00Z');
const columns: Record<string, FixtureColumn> = {
  order_id: { name: 'order_id', data: ['O-1', 'O-2'], type: 'STRING' },
  quantity: { name: 'quantity', data: [1n, 2n], type: 'INT64' },
  order_amount: { name: 'order_amount', data: [15.5, 1.25], element: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 } },
  order_date: { name: 'order_date', data: [day, day], element: { type: 'INT32', converted_type: 'DATE' } },
  created_at: { name: 'created_at', data: [at, at], type: 'TIMESTAMP' },
  gift: { name: 'gift', data: [true, false], type: 'BOOLEAN' },
  note: { name: 'note', data: ['gift wrap', null], type: 'STRING' },
};

/** The orders columns with some replaced or left out, as the footer of the file they make. */
async function footerOf(changes: Record<string, FixtureColumn | undefined> = {}) {
  const all = { ...columns, ...changes };
  const present = Object.values(all).filter((column): column is FixtureColumn => column !== undefined);
  return parquetMetadata(await parquetFile(present));
}

afterAll(() => closeParquetWriter());

describe('checkParquetMetadata', () => {
  it('passes a file whose schema meets the contract, counting its rows', async () => {
    expect(checkParquetMetadata(await footerOf(), ordersContract)).toEqual({ rows: 2, errorCount: 0, sample: [] });
  });

  it('passes a narrower decimal and a 32-bit integer, and extra columns when allowed', async () => {
    const metadata = await footerOf({
      quantity: { name: 'quantity', data: [1, 2], type: 'INT32' },
      order_amount: { name: 'order_amount', data: [15.5, 1.25], element: { type: 'INT32', converted_type: 'DECIMAL', precision: 9, scale: 2 } },
      coupon: { name: 'coupon', data: ['X', null], type: 'STRING' },
    });
    expect(checkParquetMetadata(metadata, ordersContract).errorCount).toBe(0);
  });

  it('reports a required column missing, and columns the contract does not list when allowExtraColumns is false', async () => {
    const metadata = await footerOf({ note: undefined, coupon: { name: 'coupon', data: ['X', null], type: 'STRING' } });
    expect(checkParquetMetadata(metadata, { ...ordersContract, allowExtraColumns: false }).sample).toEqual([
      { column: 'note', reason: 'required column missing from the Parquet schema' },
      { column: 'coupon', reason: 'column not in the contract (allowExtraColumns is false)' },
    ]);
  });

  it('reports each column whose type cannot hold the contract type', async () => {
    const metadata = await footerOf({
      order_id: { name: 'order_id', data: [1n, 2n], type: 'INT64' },
      quantity: { name: 'quantity', data: [1.5, 2], type: 'DOUBLE' },
      order_amount: { name: 'order_amount', data: [15.5, 1.25], element: { type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 4 } },
      order_date: { name: 'order_date', data: ['2024-01-15', '2024-01-15'], type: 'STRING' },
      created_at: { name: 'created_at', data: [day, day], element: { type: 'INT32', converted_type: 'DATE' } },
      gift: { name: 'gift', data: ['yes', 'no'], type: 'STRING' },
    });
    expect(checkParquetMetadata(metadata, ordersContract).sample).toEqual([
      { column: 'order_id', reason: 'is INT64 in the file; the contract type string needs BYTE_ARRAY annotated STRING (UTF8), ENUM or JSON' },
      { column: 'quantity', reason: 'is DOUBLE in the file; the contract type integer needs INT32 or INT64, not annotated as another type' },
      {
        column: 'order_amount',
        reason: 'is INT64 (DECIMAL(18,4)) in the file; the contract type decimal(18,2) needs DECIMAL with scale 2 and precision 18 or less',
      },
      { column: 'order_date', reason: 'is BYTE_ARRAY (STRING) in the file; the contract type date needs INT32 annotated DATE' },
      { column: 'created_at', reason: 'is INT32 (DATE) in the file; the contract type timestamp needs INT64 annotated TIMESTAMP, or INT96' },
      { column: 'gift', reason: 'is BYTE_ARRAY (STRING) in the file; the contract type boolean needs BOOLEAN' },
    ]);
  });

  it('reports, by row group, nulls its statistics count in a column that is not nullable', async () => {
    // hyparquet-writer's first row group holds 1000 rows: the nulls lie in the second of two.
    const rows = 1500;
    const ids = Array.from({ length: rows }, (_, i) => (i < 1200 ? `O-${i}` : null));
    const notes = Array.from({ length: rows }, () => null);
    const repeat = (column: FixtureColumn) => ({ ...column, data: Array.from({ length: rows }, (_, i) => column.data[i % 2]) });
    const metadata = parquetMetadata(
      await parquetFile([
        { ...columns.order_id, data: ids },
        ...['quantity', 'order_amount', 'order_date', 'created_at', 'gift'].map((name) => repeat(columns[name])),
        { ...columns.note, data: notes },
      ]),
    );
    expect(metadata.row_groups).toHaveLength(2);
    expect(checkParquetMetadata(metadata, ordersContract)).toEqual({
      rows,
      errorCount: 1,
      sample: [{ rowGroup: 1, column: 'order_id', reason: "300 null(s) in a column that is not nullable (the row group's statistics)" }],
    });
  });

  it('does not guess at nulls where a writer recorded no statistics', async () => {
    const metadata = await footerOf({ order_id: { name: 'order_id', data: ['O-1', null], type: 'STRING' } });
    expect(checkParquetMetadata(metadata, ordersContract).errorCount).toBe(1);
    for (const rowGroup of metadata.row_groups) for (const chunk of rowGroup.columns) delete chunk.meta_data?.statistics;
    expect(checkParquetMetadata(metadata, ordersContract).errorCount).toBe(0);
  });

  it('keeps a bounded sample and counts every violation', async () => {
    const metadata = await footerOf({ order_id: undefined, quantity: undefined, gift: undefined });
    expect(checkParquetMetadata(metadata, { ...ordersContract, maxReportedErrors: 2 })).toMatchObject({
      errorCount: 3,
      sample: [{ column: 'order_id' }, { column: 'quantity' }],
    });
  });
});
