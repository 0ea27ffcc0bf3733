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
                 filter: {}, nojs: {}, shots: [], failed: {} };

async function step(name, check) {
  // one failing check is reported and the others still run
  try {
    await check();
  } catch (error) {
    report.failed[name] = String(error).split("\n")[0];
  }
}

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

async function axe(page, url, name) {
  await page.goto(url, { waitUntil: "networkidle" });
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  }));
  report.axe[name] = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}

async function checkAxe(page) {
  await axe(page, base, "language picker");
  for (const lang of ["de", "ar"]) {
    for (const [name, path] of Object.entries(PAGES)) {
      await axe(page, `${base}${lang}/${path}`, `${lang}/${name}`);
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
  // The theme searches on keyup; typed non-Latin text arrives as one input event, so a
  // key is pressed after filling. The index loads in a worker: retry until it answers.
  await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
  await page.fill("input.md-search__input", word);
  const results = page.locator(".md-search-result__item");
  for (let i = 0; i < 15 && await results.count() === 0; i += 1) {
    await page.press("input.md-search__input", "End");
    await page.waitForTimeout(1000);
  }
  report.search[lang] = { word, results: await results.count(),
                          first: await results.first().innerText().catch(() => "") };
}

async function checkFilter(page) {
  await page.goto(`${base}de/angebote/`, { waitUntil: "networkidle" });
  const all = await page.locator("li.ww-offer:visible").count();
  await page.click("form[data-ww-filter] summary"); // the filter is folded under one line
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
  report.nojs.arOfferText = await page.locator("article").innerText();
  await page.goto(`${base}de/${PAGES.offer}`);
  report.nojs.offerText = await page.locator("article").innerText();
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
  await page.goto(`${base}ar/${PAGES.offer}`, { waitUntil: "networkidle" });
  const file = `${shots}/wegweiser-ar-offer-contact.png`;
  await page.locator(".ww-card").first().screenshot({ path: file });
  report.shots.push(file);
}

try {
  const { page } = await watched();
  await step("axe", () => checkAxe(page));
  await step("switcher", () => checkSwitcher(page));
  await step("search fa", () => checkSearch(page, "fa", "آلمانی"));  // German, in Persian
  await step("search uk", () => checkSearch(page, "uk", "німецька"));  // in Ukrainian
  await step("filter", () => checkFilter(page));
  await step("screenshots", () => screenshots(page));
  await step("without JavaScript", () => checkWithoutJs());
} finally {
  await browser.close();
}
report.requests = [...new Set(report.requests)].length;
console.log(JSON.stringify(report));
