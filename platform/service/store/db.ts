/**
 * A tiny database interface with two adapters running the SAME SQL: PGlite (embedded Postgres in
 * WebAssembly, the default; on disk under `<dataDir>/db`, or in memory for tests) and `pg` (a real
 * Postgres server via DATABASE_URL). Every connection works inside one schema via `search_path`.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Pool, type PoolClient } from "pg";
import { lockDataDir, makePrivate } from "./data-dir";
import { initdbInChild, needsInitdb, PGLITE_CONF } from "./pglite-init";

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  rowCount: number;
}

export interface Db {
  readonly kind: "pglite" | "postgres";
  /** The schema every unqualified table name resolves to. */
  readonly schema: string;
  /** One statement with `$1..$n` parameters. */
  query<R extends Row = Row>(sql: string, params?: ReadonlyArray<unknown>): Promise<QueryResult<R>>;
  /** Several statements, no parameters; the rows of every statement, in order. */
  exec(sql: string): Promise<Row[]>;
  /** Run `fn` in one transaction (BEGIN/COMMIT, ROLLBACK on throw). Nested calls join the outer one. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Statements and transactions started on this handle and not yet finished (queued ones too).
   * Background work (the re-quote sweep) waits for 0 before its next statement, so API requests
   * go first; on PGlite every statement shares one connection and the event loop.
   */
  pending?(): number;
}

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function checkSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}": use a lowercase SQL identifier`);
  return schema;
}

/** Counted rows of a pg/PGlite result, whichever property the driver filled. */
function countOf(r: { rowCount?: number | null; affectedRows?: number; rows: unknown[] }): number {
  return r.affectedRows ?? r.rowCount ?? r.rows.length;
}

// ---- the shared adapter ------------------------------------------------------------------------

/** What each driver supplies: one parameterized statement, and a script's rows. */
interface Driver {
  query<R extends Row>(
    sql: string,
    params: unknown[],
  ): Promise<{ rows: R[]; rowCount?: number | null; affectedRows?: number }>;
  exec(sql: string): Promise<Row[]>;
}

/** `query`/`exec` over a driver; the subclasses say how a transaction starts and how it closes. */
abstract class DriverDb implements Db {
  abstract readonly kind: Db["kind"];
  private active = 0;
  constructor(
    private readonly driver: Driver,
    readonly schema: string,
  ) {}
  pending(): number {
    return this.active;
  }
  /** Count `run` in `pending()` until it settles. */
  protected async tracked<T>(run: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await run();
    } finally {
      this.active--;
    }
  }
  async query<R extends Row = Row>(sql: string, params: ReadonlyArray<unknown> = []): Promise<QueryResult<R>> {
    const r = await this.tracked(() => this.driver.query<R>(sql, [...params]));
    return { rows: r.rows, rowCount: countOf(r) };
  }
  exec(sql: string): Promise<Row[]> {
    return this.tracked(() => this.driver.exec(sql));
  }
  abstract transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;
}

/** The Db a transaction's callback gets: a nested transaction joins it; it cannot be closed. */
class TxDb extends DriverDb {
  constructor(
    readonly kind: Db["kind"],
    driver: Driver,
    schema: string,
  ) {
    super(driver, schema);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {
    throw new Error("close() inside a transaction");
  }
}

// ---- PGlite -------------------------------------------------------------------------------------

interface PgliteLike {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<Array<{ rows: unknown[] }>>;
}

function pgliteDriver(pg: PgliteLike): Driver {
  return {
    query: <R extends Row>(sql: string, params: unknown[]) => pg.query<R>(sql, params),
    exec: async (sql) => (await pg.exec(sql)).flatMap((r) => r.rows as Row[]),
  };
}

class PgliteDb extends DriverDb {
  readonly kind = "pglite" as const;
  constructor(
    private readonly pg: PGlite,
    schema: string,
    private readonly release: () => void = () => undefined,
    private readonly dataDir?: string,
  ) {
    super(pgliteDriver(pg), schema);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.tracked(() =>
      this.pg.transaction((tx) => fn(new TxDb("pglite", pgliteDriver(tx as unknown as PgliteLike), this.schema))),
    );
  }
  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
    if (this.dataDir) makePrivate(this.dataDir);
    this.release();
  }
}

export { lockDataDir };

/**
 * The files of a new, empty in-memory database, made once per process: initdb costs about 4 s of
 * CPU, a copy of its result about 0.9 s (@electric-sql/pglite 0.5.16, measured 2026-12-01), and the
 * tests open some fifty in-memory databases. Each database gets its own copy.
 */
let memoryTemplate: Promise<Blob> | undefined;

async function newMemoryPglite(): Promise<PGlite> {
  const options = { postgresqlconf: PGLITE_CONF };
  memoryTemplate ??= (async () => {
    const pg = await PGlite.create(options);
    try {
      return await pg.dumpDataDir("none");
    } finally {
      await pg.close();
    }
  })();
  const template = await memoryTemplate.catch((err: unknown) => {
    memoryTemplate = undefined;
    throw err;
  });
  return PGlite.create({ ...options, loadDataDir: template });
}

/** Open PGlite (on disk when `dataDir` is given, else in memory) and select `schema`. */
export async function openPglite(dataDir: string | undefined, schema: string): Promise<Db> {
  checkSchema(schema);
  const release = dataDir ? lockDataDir(dataDir) : () => undefined;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // A new directory is created in a child process (./pglite-init.ts: its memory goes back on exit);
    // should that fail, PGlite creates it here as before.
    if (dataDir && needsInitdb(dataDir)) await initdbInChild(dataDir).catch(() => undefined);
    const options = { postgresqlconf: PGLITE_CONF };
    const pg = dataDir ? await PGlite.create(dataDir, options) : await newMemoryPglite();
    // PGlite creates its files 0666 minus the umask: make the whole tree private to this user.
    if (dataDir) makePrivate(dataDir);
    await pg.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}, public;`);
    return new PgliteDb(pg, schema, release, dataDir);
  } catch (err) {
    release();
    throw err;
  }
}

// ---- pg (node-postgres) -------------------------------------------------------------------------

function pgDriver(q: Pool | PoolClient): Driver {
  return {
    query: <R extends Row>(sql: string, params: unknown[]) => q.query<R>(sql, params),
    exec: async (sql) => {
      const r: unknown = await q.query(sql);
      const results = (Array.isArray(r) ? r : [r]) as Array<{ rows?: Row[] }>;
      return results.flatMap((x) => x.rows ?? []);
    },
  };
}

class PgPoolDb extends DriverDb {
  readonly kind = "postgres" as const;
  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    super(pgDriver(pool), schema);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.tracked(() => this.inTransaction(fn));
  }
  private async inTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const out = await fn(new TxDb("postgres", pgDriver(client), this.schema));
      await client.query("COMMIT");
      return out;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

/** Connect to Postgres at `url`; every pooled connection uses `schema` (created when missing). */
export async function openPostgres(url: string, schema: string, maxConnections = 10): Promise<Db> {
  checkSchema(schema);
  const setup = new Pool({ connectionString: url, max: 1 });
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await setup.end();
  }
  const pool = new Pool({ connectionString: url, max: maxConnections, options: `-c search_path=${schema},public` });
  pool.on("error", () => undefined); // idle-client errors surface on the next query instead
  return new PgPoolDb(pool, schema);
}

/** Open the database a config describes. */
export function openDb(
  database: { kind: "pglite"; dataDir: string | undefined } | { kind: "postgres"; url: string },
  schema: string,
): Promise<Db> {
  return database.kind === "pglite" ? openPglite(database.dataDir, schema) : openPostgres(database.url, schema);
}
