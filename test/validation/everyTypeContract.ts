import { contractSchema, type Contract } from '../../src/steps/validate/settings';

/** A contract with a column of every type, one of them nullable, for a format's checker. */
export function everyTypeContract(format: Contract['format']): Contract {
  return contractSchema.parse({
    format,
    columns: [
      { name: 'order_id', type: 'string' },
      { name: 'quantity', type: 'integer' },
      { name: 'order_amount', type: 'decimal(18,2)' },
      { name: 'order_date', type: 'date' },
      { name: 'created_at', type: 'timestamp' },
      { name: 'gift', type: 'boolean' },
      { name: 'note', type: 'string', nullable: true },
    ],
  });
}
