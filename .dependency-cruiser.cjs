/**
 * Import boundaries, checked in `npm test` (`npm run boundaries`). The layers, lowest first:
 *   core (platform/core) → providers → components → programs (and the root index.ts)
 *   → policy → service (platform/service) → api → cli
 * A file may import only its own layer or a lower one. policy/ imports only core and providers.
 * No value-import cycles between files. Folder cycles are checked by the second, collapsed run.
 * Test files and test helpers (`testing/`) follow the same rules, except that the policy pack's own
 * tests may run the pack over real components and programs (they are not shipped).
 */
const LAYERS = [
  ["core", "^platform/core/"],
  ["providers", "^providers/"],
  ["components", "^components/"],
  ["programs", "^(programs/|index\\.ts$)"],
  ["policy", "^policy/"],
  ["service", "^platform/service/"],
  ["api", "^api/"],
  ["cli", "^(cli/|bin/)"],
];
const forbidden = [];
LAYERS.forEach(([name, path], i) => {
  const above = LAYERS.slice(i + 1).map(([, p]) => p);
  if (above.length === 0) return;
  forbidden.push({
    name: `${name}-imports-upward`,
    comment: `${name} may import only itself and the layers below it (see the README's layout table)`,
    severity: "error",
    from: { path },
    to: { path: above.join("|") },
  });
});
forbidden.push({
  name: "policy-imports-only-core-and-providers",
  comment: "the policy pack ships on its own: it may import core and providers only",
  severity: "error",
  from: { path: "^policy/", pathNot: "\\.test\\.ts$" },
  to: { path: "^(components|programs|api|cli)/|^platform/service/" },
});
forbidden.push({
  name: "no-value-cycles",
  comment: "a value-import cycle between files (type-only imports do not count)",
  severity: "error",
  from: {},
  to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
});
forbidden.push({
  name: "no-unresolvable",
  severity: "error",
  from: {},
  to: { couldNotResolve: true },
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.stryker-tmp|reports|\\.modelplane)/|^policy/dist/|/data/|\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
