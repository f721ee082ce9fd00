import assert from "node:assert/strict";
import { openPglite, type Db } from "./db";

describe("in-memory PGlite (each a copy of one empty database made per process)", function () {
  this.timeout(120_000); // the first database of a process compiles PGlite and runs initdb
  const open: Db[] = [];
  after(async () => {
    for (const db of open.splice(0)) await db.close();
  });

  it("gives every database its own files: rows and tables of one are not in another", async () => {
    const first = await openPglite(undefined, "mem_a");
    open.push(first);
    await first.exec("CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)");
    const second = await openPglite(undefined, "mem_a");
    open.push(second);
    const found = await second.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'kept'",
    );
    assert.equal(found.rows[0]?.n, "0");
    assert.deepEqual((await first.query<{ v: number }>("SELECT v FROM kept")).rows, [{ v: 7 }]);
  });

  it("starts every copy with the embedded database's settings", async () => {
    for (const schema of ["mem_b", "mem_c"]) {
      const db = await openPglite(undefined, schema);
      open.push(db);
      const shown = await db.query<{ shared_buffers: string }>("SHOW shared_buffers");
      assert.equal(shown.rows[0]?.shared_buffers, "16MB");
      const path = await db.query<{ search_path: string }>("SHOW search_path");
      assert.equal(path.rows[0]?.search_path, `${schema}, public`);
    }
  });
});
