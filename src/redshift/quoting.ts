// The only way names and values reach SQL text that cannot take bound parameters (identifiers, COPY's literals).

/** `public.fct_orders` -> `"public"."fct_orders"`: each part quoted, embedded double quotes doubled. */
export function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

/** A string literal. Redshift also treats a backslash as an escape inside literals, so both are doubled. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
