import { stepSchemas } from '../../src/steps/settings';

// The load step's mode and key columns, and the sql step's settings, as the config schema reads them.

const { load: loadStepSchema, sql: sqlStepSchema } = stepSchemas;

const target = {
  kind: 'load',
  table: 'public.fct_orders',
  dateColumn: 'order_date',
  copy: { format: 'parquet', iamRole: 'arn:aws:iam::123456789012:role/RedshiftCopyRole' },
};

function problems(schema: typeof loadStepSchema | typeof sqlStepSchema, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the load mode', () => {
  test('is replace-date unless set; append needs nothing more', () => {
    expect(loadStepSchema.parse(target)).toMatchObject({ mode: 'replace-date' });
    expect(problems(loadStepSchema, { ...target, mode: 'append' })).toEqual([]);
  });

  test('upsert needs key columns', () => {
    expect(loadStepSchema.parse({ ...target, mode: 'upsert', keyColumns: ['order_id'] })).toMatchObject({ mode: 'upsert', keyColumns: ['order_id'] });
    expect(problems(loadStepSchema, { ...target, mode: 'upsert' })).toEqual([
      'keyColumns: is required with mode: upsert: list the columns that identify a row, such as [order_id]',
    ]);
  });

  test.each(['replace-date', 'append'])('key columns with mode %s are refused', (mode) => {
    expect(problems(loadStepSchema, { ...target, mode, keyColumns: ['order_id'] })).toEqual([
      `keyColumns: is only for mode: upsert; mode ${mode} does not match rows by key: remove keyColumns or set mode: upsert`,
    ]);
  });

  test('key columns are SQL names, each listed once; an unknown mode is refused', () => {
    expect(problems(loadStepSchema, { ...target, mode: 'upsert', keyColumns: ['order_id', 'order_id'] })).toEqual(['keyColumns: must not list a column twice']);
    expect(problems(loadStepSchema, { ...target, mode: 'upsert', keyColumns: ['order id'] })).toEqual([
      'keyColumns.0: must be a SQL name such as "public.fct_orders"',
    ]);
    expect(problems(loadStepSchema, { ...target, mode: 'merge' })).toEqual([expect.stringMatching(/^mode: .*"replace-date"\|"upsert"\|"append"/)]);
  });
});

describe('the sql step', () => {
  const sql = { kind: 'sql' } as const;

  test('takes statements, a check, or both', () => {
    expect(sqlStepSchema.parse({ ...sql, statements: ['ANALYZE public.fct_orders'] })).toEqual({ ...sql, options: {}, statements: ['ANALYZE public.fct_orders'] });
    expect(sqlStepSchema.parse({ ...sql, check: '  select 1 where false' })).toEqual({ ...sql, options: {}, statements: [], check: 'select 1 where false' });
    expect(problems(sqlStepSchema, sql)).toEqual([': set statements, a check, or both']);
  });

  test('a check must be a query', () => {
    expect(problems(sqlStepSchema, { ...sql, check: 'DELETE FROM public.fct_orders' })).toEqual([
      'check: must be a query (SELECT or WITH) that returns the rows that must not exist',
    ]);
  });
});
