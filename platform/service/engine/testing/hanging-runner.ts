/** TEST-ONLY runner fixture: emits one event, then waits until the parent asks to cancel. */
process.on("message", (raw: unknown) => {
  const m = raw as { type: string };
  if (m.type === "run") process.send?.({ type: "event", event: { type: "log", data: { message: "working" } } });
  if (m.type === "cancel") {
    process.send?.({ type: "error", error: { name: "AbortError", message: "operation aborted" } }, () =>
      process.exit(0),
    );
  }
});
