import { type PGlite, parse, protocol } from '@electric-sql/pglite';

/** Beyond this many distinct statements, the rest run unprepared (SQL built at run time). */
const MAX_PREPARED = 500;

interface Prepared {
  name: string;
  /** Serialises each parameter as its type needs (arrays, JSON, dates), as PGlite's own query does. */
  serialize: ((value: unknown) => string | null)[];
}

/**
 * Runs each statement as a named prepared statement in one call into the engine.
 *
 * PGlite's `query` enters the WASM engine six times per statement (parse, describe, bind,
 * describe, execute, sync) and parses and plans the SQL every time; on a send that was most of
 * the cost of a one-row statement. Here a statement is parsed and described once, then every
 * execution is a single bind-describe-execute-sync message with the plan cached by the engine.
 * The caller holds PGlite's query lock (see `PgliteDatabase`).
 */
export class PglitePreparedStatements {
  private readonly statements = new Map<string, Prepared>();

  constructor(private readonly pg: PGlite) {}

  /** False once the cache is full and `sql` is not in it: run it through PGlite's own `query`. */
  accepts(sql: string): boolean {
    return this.statements.has(sql) || this.statements.size < MAX_PREPARED;
  }

  /** The rows of `sql` run with `params`; only for statements it `accepts`. */
  async query<Row>(sql: string, params: readonly unknown[], syncToFs: boolean): Promise<Row[]> {
    const prepared = this.statements.get(sql) ?? (await this.prepare(sql));
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = prepared.serialize[i];
      return serialize ? serialize(value) : String(value);
    });
    const message = concat([
      protocol.serialize.bind({ statement: prepared.name, values }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]);
    const { messages } = await this.pg.execProtocol(message, { syncToFs });
    const [result] = parse.parseResults(messages, this.pg.parsers);
    return (result?.rows ?? []) as Row[];
  }

  private async prepare(sql: string): Promise<Prepared> {
    const name = `pd_${this.statements.size + 1}`;
    const { messages } = await this.pg.execProtocol(
      concat([
        protocol.serialize.parse({ name, text: sql }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const types = parse.parseDescribeStatementResults(messages);
    const serializers = this.pg.serializers;
    const prepared: Prepared = {
      name,
      serialize: types.map((oid) => {
        const serializer = serializers[oid];
        return serializer ? (value: unknown) => serializer(value) : (value: unknown) => String(value);
      }),
    };
    this.statements.set(sql, prepared);
    return prepared;
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
