/** TEST-ONLY runner fixture: simulates an engine program that crashes its process mid-operation. */
process.on("message", () => {
  process.stderr.write("fatal: simulated program crash\n");
  process.exit(3);
});
