/**
 * TEST-ONLY helpers: a throwaway schema per test run, on PGlite (in memory) or on the local
 * Postgres at postgres://postgres@127.0.0.1:5432/test.
 * Imported only by `*.test.ts` files and test fixtures.
 */
import { randomBytes } from "node:crypto";
import { Pool } from "pg";
import { openPglite, openPostgres, type Db } from "../db";

/** The local test Postgres (trust auth), as the project's environment provides it. */
export const TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export type TestBackend = "pglite" | "postgres";
export const TEST_BACKENDS: TestBackend[] = ["pglite", "postgres"];

export function testSchemaName(): string {
  return `mp_test_${randomBytes(5).toString("hex")}`;
}

/** Drop a test schema and pg-boss's companion schema on Postgres. */
export async function dropPostgresSchemas(schema: string): Promise<void> {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
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
  const db = await openPostgres(TEST_DATABASE_URL, schema, 5);
  return {
    db,
    schema,
    async dispose() {
      await db.close();
      await dropPostgresSchemas(schema);
    },
  };
}
