// Checks the built website in headless Chromium and prints one JSON report.
// Usage: node site_checks.mjs BASE_URL SHOT_DIR
//   axe-core (WCAG 2.1 A/AA) on home, offer, contact point, programme, legal page in de and ar;
//   every request while loading them (anything not on 127.0.0.1 is blocked and reported);
//   the language switcher de -> ar -> de on an offer; search in fa and uk; the offer filter
//   with JavaScript; offer content and lists with JavaScript off; screenshots of ar pages.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const [base, shots] = process.argv.slice(2);
const PAGES = {
  home: "",
  offer: "angebote/sprachpaten/",
  contact: "anlaufstellen/service-point-integration/",
  programme: "programm/2026-11/",
  legal: "barrierefreiheit/",
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const report = { axe: {}, requests: [], external: [], errors: [], switcher: [], search: {},
                 filter: {}, nojs: {}, shots: [] };

async function watched(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || ["data:", "blob:"].includes(url.protocol)) {
      report.requests.push(url.href);
      return route.continue();
    }
    report.external.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => report.errors.push(`${page.url()}: ${e}`));
  return { context, page };
}

async function checkAxe(page) {
  for (const lang of ["de", "ar"]) {
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(`${base}${lang}/${path}`, { waitUntil: "networkidle" });
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      }));
      report.axe[`${lang}/${name}`] = result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
      }));
    }
  }
}

async function checkSwitcher(page) {
  await page.goto(`${base}de/${PAGES.offer}`, { waitUntil: "networkidle" });
  for (const target of ["ar", "de"]) {
    await page.hover(".md-select");
    await Promise.all([page.waitForURL(`**/${target}/${PAGES.offer}`),
                       page.click(`.md-select a[hreflang=${target}]`)]);
    await page.waitForLoadState("networkidle");
    report.switcher.push({ url: page.url(), lang: await page.getAttribute("html", "lang"),
                           dir: await page.getAttribute("html", "dir") });
  }
}

async function checkSearch(page, lang, word) {
  await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
  await page.click("label.md-header__button[for=__search]");
  await page.fill("input.md-search__input", word);
  const results = page.locator(".md-search-result__item");
  try {
    await results.first().waitFor({ timeout: 15000 });
  } catch { /* no result: reported as 0 */ }
  report.search[lang] = { word, results: await results.count() };
}

async function checkFilter(page) {
  await page.goto(`${base}de/angebote/`, { waitUntil: "networkidle" });
  const all = await page.locator("li.ww-offer:visible").count();
  await page.selectOption("#ww-f-category", "sprache");
  const url = page.url();
  const categories = await page.$$eval("li.ww-offer", (items) => items
    .filter((li) => !li.hidden).map((li) => li.dataset.category));
  const status = await page.textContent("[data-ww-count]");
  await page.goto(`${base}de/angebote/?sprache=uk`, { waitUntil: "networkidle" });
  const fromUrl = await page.$$eval("li.ww-offer", (items) => items
    .filter((li) => !li.hidden).map((li) => li.dataset.languages));
  report.filter = { all, url, categories, status, selected: await page.inputValue("#ww-f-language"),
                    fromUrl, groupsHidden: await page.locator("section.ww-group[hidden]").count() };
}

async function checkWithoutJs() {
  const { context, page } = await watched({ javaScriptEnabled: false });
  await page.goto(`${base}de/angebote/`);
  report.nojs.offers = await page.locator("li.ww-offer:visible").count();
  report.nojs.formVisible = await page.locator("form[data-ww-filter]").isVisible();
  await page.goto(`${base}ar/${PAGES.offer}`);
  report.nojs.offerText = await page.locator("article").innerText();
  report.nojs.hoursVisible = await page.locator("table.ww-hours").first().isVisible()
    .catch(() => false);
  await page.goto(`${base}de/${PAGES.offer}`);
  report.nojs.switcherHrefs = await page.$$eval(".md-select a", (a) => a.map((x) => x.href));
  await context.close();
}

async function screenshots(page) {
  for (const [name, path] of [["home", ""], ["offer", PAGES.offer]]) {
    for (const [device, viewport] of [["desktop", { width: 1280, height: 900 }],
                                      ["phone", { width: 390, height: 844 }]]) {
      await page.setViewportSize(viewport);
      await page.goto(`${base}ar/${path}`, { waitUntil: "networkidle" });
      await page.evaluate(() => document.fonts.ready);
      const file = `${shots}/wegweiser-ar-${name}-${device}.png`;
      await page.screenshot({ path: file });
      report.shots.push(file);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

try {
  const { page } = await watched();
  await checkAxe(page);
  await checkSwitcher(page);
  await checkSearch(page, "fa", process.env.WORD_FA || "آلمانی");
  await checkSearch(page, "uk", process.env.WORD_UK || "німецька");
  await checkFilter(page);
  await screenshots(page);
  await checkWithoutJs();
} finally {
  await browser.close();
}
report.requests = [...new Set(report.requests)].length;
console.log(JSON.stringify(report));
