/**
 * TEST-ONLY helpers: a throwaway schema per test run, on PGlite (in memory) or on the Postgres
 * named by TEST_DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/test).
 * Imported only by `*.test.ts` files, test fixtures and the benchmarks.
 */
import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { openPglite, openPostgres, type Db } from "../db";

/**
 * The test Postgres, from the TEST_DATABASE_URL environment variable (read here, the test edge;
 * `.ci/run` sets it to postgres://postgres@127.0.0.1:5432/test where Postgres answers). Unset: the
 * Postgres suites skip, each saying why, and the PGlite suites still run.
 */
export const TEST_DATABASE_URL: string | undefined = process.env["TEST_DATABASE_URL"] || undefined;

/** The test Postgres URL, or an error naming the variable to set. */
export function testDatabaseUrl(): string {
  if (!TEST_DATABASE_URL)
    throw new Error(
      "TEST_DATABASE_URL is not set: set it to a Postgres URL, e.g. postgres://postgres@127.0.0.1:5432/test",
    );
  return TEST_DATABASE_URL;
}

/**
 * Call first in a Postgres suite's `before` hook: when TEST_DATABASE_URL is not set, print why and
 * skip the suite (its tests show as pending in the report).
 */
export function skipWithoutPostgres(ctx: Mocha.Context, suite: string): void {
  if (TEST_DATABASE_URL) return;
  process.stdout.write(
    `    skipped "${suite}": needs Postgres; set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it\n`,
  );
  ctx.skip();
}

export type TestBackend = "pglite" | "postgres";
export const TEST_BACKENDS: TestBackend[] = ["pglite", "postgres"];

export function testSchemaName(): string {
  return `mp_test_${randomBytes(5).toString("hex")}`;
}

/** Drop a test schema and pg-boss's companion schema on Postgres. */
export async function dropPostgresSchemas(schema: string): Promise<void> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
  } finally {
    await pool.end();
  }
}

export interface TestDb {
  db: Db;
  schema: string;
  /** Close the connection and drop the schema(s). */
  dispose(): Promise<void>;
}

export async function openTestDb(backend: TestBackend): Promise<TestDb> {
  const schema = testSchemaName();
  if (backend === "pglite") {
    const db = await openPglite(undefined, schema);
    return { db, schema, dispose: () => db.close() };
  }
  const db = await openPostgres(testDatabaseUrl(), schema, 5);
  return {
    db,
    schema,
    async dispose() {
      await db.close();
      await dropPostgresSchemas(schema);
    },
  };
}
