/** One step of the schema; kept apart from the list so that each step can name its type without importing the list. */
export interface Migration {
  version: number;
  name: string;
  /** One or more statements; applied in one transaction together with its bookkeeping row. */
  sql: string;
}
