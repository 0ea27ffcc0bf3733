// The compliance gate in headless Chromium: axe-core (WCAG 2.1 A and AA) on every page
// given, and every request those pages make (anything not on the site's own host is blocked
// and reported). Prints one JSON report.
// Usage: node compliance.mjs BASE_URL PATHS_JSON   (PATHS_JSON: ["", "de/", "de/angebote/", ...])
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { eachOnPages } from "./pool.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, pathsFile] = process.argv.slice(2);
const paths = JSON.parse(readFileSync(pathsFile, "utf8"));
const host = new URL(base).host;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const report = { axe: {}, requests: 0, external: [], errors: [], failed: {} };

const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  if (url.host === host || ["data:", "blob:"].includes(url.protocol)) {
    report.requests += 1;
    return route.continue();
  }
  report.external.push(`${route.request().frame().url()} -> ${url.href}`);
  return route.abort();
});

async function check(page, path) {
  await page.goto(`${base}${path}`, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready);
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
  }), TAGS);
  report.axe[path] = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}

async function newPage() {
  const page = await context.newPage();
  page.on("pageerror", (e) => report.errors.push(`${page.url()}: ${e}`));
  return page;
}

// Two tabs share the work (axe keeps a core busy); each page is loaded fresh.
try {
  await eachOnPages(paths, newPage, async (page, path) => {
    try {
      await check(page, path);
    } catch (error) {
      report.failed[path] = String(error).split("\n")[0];
    }
  }, 2);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
