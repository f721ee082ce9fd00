/**
 * `npm run build:policy`: bundle the policy pack into `policy/dist/index.js` with esbuild, so that
 * the pack runs from a copy of this folder (what `pulumi policy publish` uploads). Everything the
 * rules import (zod, the core, the providers' resource readers, the shipped catalog, and the cloud
 * SDKs that `providers/registry.ts` brings along with the readers) goes into the bundle; only
 * `@pulumi/policy` and `@pulumi/pulumi` (and their subpaths), which the policy host needs as real
 * packages, stay external, and `policy/package.json` declares them with exact versions.
 *
 * The bundle is a build output (git-ignored), not committed: see the README's "policy pack" note.
 */
import { build } from "esbuild";
import { join } from "node:path";

/** Packages left out of the bundle; `policy/package.json` must declare each of them. */
export const PACK_EXTERNALS = ["@pulumi/policy", "@pulumi/pulumi"] as const;

/** Where the bundle goes by default, relative to this folder (PulumiPolicy.yaml's `main`). */
export const PACK_MAIN = "dist/index.js";

/**
 * Bundle `policy/index.ts` into `outfile` (default `policy/dist/index.js`). Returns what the bundle
 * still imports at run time (Node built-ins and the externals), from esbuild's metafile.
 */
export async function buildPolicyPack(outfile = join(__dirname, PACK_MAIN)): Promise<string[]> {
  const result = await build({
    entryPoints: [join(__dirname, "index.ts")],
    outfile,
    bundle: true,
    platform: "node",
    // The oldest Node the project supports (package.json engines).
    target: "node20.19",
    format: "cjs",
    external: [...PACK_EXTERNALS],
    logLevel: "warning",
    legalComments: "eof",
    metafile: true,
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return [...new Set(imports)].sort();
}

if (require.main === module) {
  buildPolicyPack().catch((err: unknown) => {
    process.stderr.write(`build:policy failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
