/**
 * The web dashboard: its shipped JavaScript gzipped (budget < 300 KB, issue 16), and its first
 * meaningful render in Debian's chromium on loopback (budget < 1 s): the signed-in deployments
 * table, read from the page's own `modelplane:render` mark, median of 5 loads. Without a browser
 * the render figure is reported as not measured, with the reason.
 */
import { dashboardFiles, shippedJsGzipBytes } from "../api/dashboard";
import { browserAvailable, firstRenderMs, openPage, signIn, startRig } from "../dashboard/testing/browser";
import type { Figure, Section } from "./report";

export const name = "dashboard";

const LOADS = 5;

export async function run(): Promise<Section[]> {
  const files = dashboardFiles();
  const js = [...files.entries()].filter(([p]) => p.endsWith(".js"));
  const gz = shippedJsGzipBytes(files);
  const size: Figure[] = [
    { label: "shipped JavaScript, gzipped (all files)", value: `${(gz / 1024).toFixed(1)} KB (budget 300 KB)` },
    ...js.map(([p, f]) => ({ label: p, value: `${(f.gzip.length / 1024).toFixed(1)} KB gzipped` })),
  ];
  for (const f of size) process.stdout.write(`  ${f.label}: ${f.value}\n`);
  const sections: Section[] = [{ title: "Dashboard size", figures: size }];

  const available = browserAvailable();
  if (!available.ok) {
    sections.push({ title: "Dashboard first meaningful render", figures: [], note: `not measured: ${available.why}` });
    return sections;
  }
  const rig = await startRig();
  try {
    const { page, close } = await openPage(rig);
    try {
      await signIn(page, rig.api.base, rig.key);
      const times: number[] = [];
      for (let i = 0; i < LOADS; i++) times.push(await firstRenderMs(page, rig.api.base));
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? NaN;
      const figure = {
        label: "first meaningful render (signed in, deployments table), median",
        value: `${median.toFixed(0)} ms (min ${times[0]?.toFixed(0)}, max ${times[times.length - 1]?.toFixed(0)}; budget 1000 ms)`,
      };
      process.stdout.write(`  ${figure.label}: ${figure.value}\n`);
      sections.push({
        title: "Dashboard first meaningful render",
        figures: [figure],
        note: `chromium ${rig.browser.version()} via playwright-core, loopback, ${LOADS} loads`,
      });
    } finally {
      await close();
    }
  } finally {
    await rig.close();
  }
  return sections;
}
