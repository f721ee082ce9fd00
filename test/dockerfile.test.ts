/**
 * The control plane's image (Dockerfile), checked without a Docker daemon: the file is parsed into
 * instructions (continuations joined, comments dropped) and the rules are asserted: several named
 * stages, pinned base images and Pulumi CLI (version + SHA-256 verified at build time), a non-root
 * runtime user, a health check on /healthz, lockfile installs, and COPY sources that exist.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");

interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** Dockerfile text → instructions (uppercase op, joined arguments). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current: { parts: string[]; line: number } | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (current === undefined && (line === "" || line.startsWith("#"))) return;
    if (current !== undefined && line.startsWith("#")) return;
    const continued = line.endsWith("\\");
    const body = continued ? line.slice(0, -1).trim() : line;
    if (current === undefined) current = { parts: [body], line: i + 1 };
    else current.parts.push(body);
    if (!continued) {
      const joined = current.parts.join(" ").trim();
      const space = joined.search(/\s/);
      out.push({
        op: (space < 0 ? joined : joined.slice(0, space)).toUpperCase(),
        args: space < 0 ? "" : joined.slice(space + 1).trim(),
        line: current.line,
      });
      current = undefined;
    }
  });
  return out;
}

describe("Dockerfile: the control plane image", () => {
  const text = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const all = parseDockerfile(text);
  const globalArgs = new Map<string, string>();
  for (const i of all) {
    if (i.op === "FROM") break;
    if (i.op === "ARG") {
      const [k, v] = i.args.split("=", 2);
      if (k && v !== undefined) globalArgs.set(k, v);
    }
  }
  const stages: Array<{ image: string; name: string; body: Instruction[] }> = [];
  for (const i of all) {
    if (i.op === "FROM") {
      const m = /^(\S+)\s+AS\s+(\S+)$/i.exec(i.args);
      assert.ok(m, `line ${i.line}: every stage is named (FROM <image> AS <name>)`);
      stages.push({ image: m[1] ?? "", name: m[2] ?? "", body: [] });
    } else stages.at(-1)?.body.push(i);
  }
  const resolve = (s: string) => s.replace(/\$\{(\w+)\}/g, (_, k: string) => globalArgs.get(k) ?? `\${${k}}`);
  const runtime = stages.at(-1);

  it("is multi-stage: build, production dependencies, the Pulumi CLI, then a runtime that copies from them", () => {
    assert.deepEqual(
      stages.map((s) => s.name),
      ["build", "prod-deps", "pulumi", "runtime"],
    );
    const from = (runtime?.body ?? []).filter((i) => i.op === "COPY" && i.args.startsWith("--from="));
    const sources = new Set(from.map((i) => /--from=(\S+)/.exec(i.args)?.[1]));
    assert.deepEqual([...sources].sort(), ["build", "prod-deps", "pulumi"]);
    assert.ok(
      !(runtime?.body ?? []).some((i) => i.op === "COPY" && !i.args.startsWith("--from=")),
      "the runtime copies only from build stages",
    );
  });

  it("pins every base image to an exact version, never latest", () => {
    for (const s of stages) {
      const image = resolve(s.image);
      assert.match(image, /^[a-z0-9./-]+:\d+\.\d+\.\d+(-[a-z0-9.-]+)?(@sha256:[a-f0-9]{64})?$/, `${s.name}: ${image}`);
      assert.doesNotMatch(image, /:latest/);
    }
  });

  it("installs the Pulumi CLI at build time: pinned version, SHA-256 checked before unpacking", () => {
    assert.match(globalArgs.get("PULUMI_VERSION") ?? "", /^\d+\.\d+\.\d+$/);
    assert.match(globalArgs.get("PULUMI_SHA256_AMD64") ?? "", /^[a-f0-9]{64}$/);
    assert.match(globalArgs.get("PULUMI_SHA256_ARM64") ?? "", /^[a-f0-9]{64}$/);
    const pulumi = stages.find((s) => s.name === "pulumi");
    const install = pulumi?.body.find((i) => i.op === "RUN" && i.args.includes("pulumi-v${PULUMI_VERSION}"));
    assert.ok(install, "a RUN downloads the pinned release archive");
    const check = install.args.indexOf("sha256sum -c");
    assert.ok(check > 0 && check < install.args.indexOf("tar -xzf"), "the checksum is verified before unpacking");
    assert.match(install.args, /set -eu/, "a failed check stops the build");
    // The SDK's Automation API needs a CLI at least as new as the SDK.
    const sdk = (
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }
    ).dependencies["@pulumi/pulumi"];
    const [a, b] = [globalArgs.get("PULUMI_VERSION") ?? "", sdk ?? ""].map((v) => v.split(".").map(Number));
    assert.ok(a && b && (a[0]! > b[0]! || (a[0] === b[0] && a[1]! >= b[1]!)), `CLI ${a?.join(".")} < SDK ${sdk}`);
    assert.ok(
      runtime?.body.some((i) => i.op === "ENV" && /PATH=\/opt\/pulumi:/.test(i.args)),
      "the CLI is on PATH",
    );
  });

  it("runs as a non-root user, set after every RUN of the runtime stage", () => {
    const body = runtime?.body ?? [];
    const users = body.filter((i) => i.op === "USER");
    assert.equal(users.length, 1);
    const user = users[0]?.args ?? "";
    assert.doesNotMatch(user, /^(root|0)(:|$)/);
    assert.match(user, /^[1-9]\d{3,}:[1-9]\d{3,}$/, "numeric uid:gid, so Kubernetes runAsNonRoot can verify it");
    const lastRun = body.map((i) => i.op).lastIndexOf("RUN");
    assert.ok(body.indexOf(users[0]!) > lastRun);
  });

  it("checks health on /healthz and starts `modelplane serve`", () => {
    const hc = runtime?.body.filter((i) => i.op === "HEALTHCHECK") ?? [];
    assert.equal(hc.length, 1);
    assert.match(hc[0]?.args ?? "", /--interval=\d+s .*CMD .*\/healthz/);
    const entry = runtime?.body.find((i) => i.op === "ENTRYPOINT")?.args ?? "";
    const cmd = runtime?.body.find((i) => i.op === "CMD")?.args ?? "";
    assert.deepEqual(JSON.parse(entry), ["node", "--import", "tsx", "cli/main.ts"]);
    assert.deepEqual(JSON.parse(cmd), ["serve", "--role", "all"]);
    assert.ok(
      runtime?.body.some((i) => i.op === "ENV" && /HOST=0\.0\.0\.0/.test(i.args)),
      "listens beyond loopback",
    );
  });

  it("puts `modelplane` on PATH and points the stacks' kubeconfigs at `modelplane kube-token` (no cloud CLI in the image, #14)", () => {
    const body = runtime?.body ?? [];
    assert.ok(
      body.some((i) => i.op === "ENV" && /(^|\s)MODELPLANE_KUBE_TOKEN_COMMAND=modelplane(\s|$)/.test(i.args)),
      "ENV MODELPLANE_KUBE_TOKEN_COMMAND=modelplane",
    );
    const link = body.find(
      (i) => i.op === "RUN" && /ln -s \/app\/bin\/modelplane\.js \/usr\/local\/bin\/modelplane/.test(i.args),
    );
    assert.ok(link, "a RUN links the launcher onto PATH as `modelplane`");
    assert.ok(
      body.some((i) => i.op === "COPY" && /^--from=build \/src\/bin \.\/bin$/.test(i.args)),
      "the launcher is copied to /app/bin",
    );
    // The link runs the launcher itself: it must be executable in the build context (COPY keeps the mode).
    assert.ok(
      (statSync(path.join(ROOT, "bin", "modelplane.js")).mode & 0o111) !== 0,
      "bin/modelplane.js is executable",
    );
    assert.match(readFileSync(path.join(ROOT, "bin", "modelplane.js"), "utf8"), /^#!\/usr\/bin\/env node\n/);
    // No cloud CLI is installed: the helper replaces them.
    for (const r of all.filter((i) => i.op === "RUN"))
      assert.doesNotMatch(r.args, /awscli|aws-cli|google-cloud-cli|gke-gcloud-auth-plugin|kubelogin/, `line ${r.line}`);
  });

  it("installs from the lockfile, and every file it copies from the context exists", () => {
    const runs = all.filter((i) => i.op === "RUN" && /\bnpm\b/.test(i.args));
    for (const r of runs) assert.doesNotMatch(r.args, /npm (install|i)\b/, `line ${r.line}: use npm ci`);
    assert.ok(runs.some((r) => /npm ci --omit=dev/.test(r.args)));
    for (const s of stages)
      for (const i of s.body.filter((x) => x.op === "COPY")) {
        const parts = i.args.split(/\s+/).filter((p) => !p.startsWith("--"));
        for (const src of parts.slice(0, -1)) {
          const local = src.startsWith("/src/") ? src.slice(5) : src;
          if (local === "." || local.startsWith("/opt/") || local === "node_modules") continue;
          assert.ok(existsSync(path.join(ROOT, local)), `line ${i.line}: ${src} does not exist in the repo`);
        }
      }
  });

  it(".dockerignore keeps node_modules, the data dir, git and tests out of the context", () => {
    const ignored = readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const p of ["node_modules", ".modelplane", ".git", "**/*.test.ts", "policy/dist"])
      assert.ok(ignored.includes(p), `.dockerignore lists ${p}`);
    // What the build copies must not be ignored.
    for (const p of [
      "cli",
      "api",
      "dashboard",
      "platform",
      "providers",
      "components",
      "programs",
      "policy",
      "package-lock.json",
    ])
      assert.ok(!ignored.includes(p), `${p} is needed by the build`);
  });
});
