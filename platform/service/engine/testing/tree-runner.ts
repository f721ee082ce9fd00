/**
 * TEST-ONLY runner fixture: starts a grandchild process (as `pulumi` would be), reports its pid,
 * then on cancel either exits at once leaving the grandchild behind (`TREE_RUNNER_ON_CANCEL=exit`)
 * or ignores the cancel altogether (`ignore`), like a runner stuck in a blocking call.
 */
import { spawn } from "node:child_process";

const onCancel = process.env["TREE_RUNNER_ON_CANCEL"] ?? "exit";

process.on("message", (raw: unknown) => {
  const m = raw as { type: string };
  if (m.type === "run") {
    const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    grandchild.unref();
    process.send?.({ type: "event", event: { type: "log", data: { message: "grandchild", pid: grandchild.pid } } });
  }
  if (m.type === "cancel" && onCancel === "exit") process.exit(0);
});
