// The site on a phone (390x844) in headless Chromium; prints one JSON report.
// Usage: node phone_checks.mjs BASE_URL PATHS_JSON SHOT_DIR
//   every path of PATHS_JSON is opened with JavaScript (every request logged: another host
//   is blocked and reported, any answer >= 400 is reported) and without it (the page's
//   scrollWidth must fit the phone); the footer's computed style; the language menu and
//   its keeping the filter and #anchor; screenshots of the de and ar home and offer pages.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { eachOnPages } from "./pool.mjs";

const [base, listing, shots] = process.argv.slice(2);
const paths = JSON.parse(readFileSync(listing, "utf-8"));
const PHONE = { width: 390, height: 844 };
const OFFER = "angebote/sprachpaten/";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const report = { pages: 0, requests: 0, external: [], failedResponses: [], errors: [],
                 wide: {}, wideNoJs: {}, footer: {}, languageMenu: {}, switcher: {}, shots: [],
                 failed: {} };

async function step(name, check) {
  try {
    await check();
  } catch (error) {
    report.failed[name] = String(error).split("\n")[0];
  }
}

async function phone(javaScriptEnabled) {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled });
  const host = new URL(base).host;
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (["data:", "blob:"].includes(url.protocol) || url.host === host) {
      report.requests += 1;
      return route.continue();
    }
    report.external.push(url.href);
    return route.abort();
  });
  const newPage = async () => {
    const page = await context.newPage();
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().includes("/does-not-exist/")) {
        report.failedResponses.push(`${r.status()} ${r.url()} (on ${page.url()})`);
      }
    });
    page.on("pageerror", (e) => report.errors.push(`${page.url()}: ${e}`));
    return page;
  };
  return { context, page: await newPage(), newPage };
}

const width = (page) => page.evaluate(() => document.documentElement.scrollWidth);

async function visitAll(javaScriptEnabled, wide) {
  const { context, newPage } = await phone(javaScriptEnabled);
  await eachOnPages(paths, newPage, async (page, path) => {
    // networkidle: the theme's script requests what it wants after the load event
    await page.goto(`${base}${path}`, { waitUntil: javaScriptEnabled ? "networkidle" : "load" });
    report.pages += 1;
    const w = await width(page);
    if (w > PHONE.width) wide[path] = w;
  });
  await context.close();
}

async function checkFooter() {
  const { context, page } = await phone(true);
  for (const lang of ["de", "ar"]) {
    await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
    report.footer[lang] = await page.evaluate(() => {
      const list = document.querySelector("footer nav ul");
      const item = list.querySelector("li");
      const link = list.querySelector("a");
      return { listStyle: getComputedStyle(item).listStyleType, display: getComputedStyle(list).display,
               linkColor: getComputedStyle(link).color,
               background: getComputedStyle(document.querySelector(".md-footer-meta")).backgroundColor };
    });
  }
  await context.close();
}

async function checkLanguageMenu() {
  // the menu opens on tap (focus within); every language must be visible inside the screen
  const { context, page } = await phone(true);
  for (const lang of ["de", "ar"]) {
    await page.goto(`${base}${lang}/${OFFER}`, { waitUntil: "networkidle" });
    await page.click(".md-select > button");
    await page.waitForTimeout(400);
    report.languageMenu[lang] = await page.$$eval(".md-select__link", (links) => links.map((a) => {
      const box = a.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return { lang: a.getAttribute("hreflang"), visible: box.height > 0 && box.top >= 0
               && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth
               && (hit === a || a.contains(hit)) };
    }));
  }
  await context.close();
}

async function checkSwitcherKeepsState() {
  // a filtered list and an #anchor survive the change of language
  const { context, page } = await phone(true);
  await page.goto(`${base}de/angebote/?thema=sprache#sprache`, { waitUntil: "networkidle" });
  await page.click(".md-select > button");
  await Promise.all([page.waitForURL("**/ar/angebote/**"),
                     page.click(".md-select a[hreflang=ar]")]);
  await page.waitForLoadState("networkidle");
  report.switcher = { url: page.url(),
                      category: await page.inputValue("#ww-f-category").catch(() => "") };
  await context.close();
}

async function screenshots() {
  const { context, page } = await phone(true);
  for (const lang of ["de", "ar"]) {
    for (const [name, path] of [["home", ""], ["offer", OFFER]]) {
      await page.goto(`${base}${lang}/${path}`, { waitUntil: "networkidle" });
      await page.evaluate(() => document.fonts.ready);
      const file = `${shots}/wegweiser-phone-${lang}-${name}.png`;
      await page.screenshot({ path: file });
      report.shots.push(file);
    }
  }
  await context.close();
}

try {
  await step("with JavaScript", () => visitAll(true, report.wide));
  await step("without JavaScript", () => visitAll(false, report.wideNoJs));
  await step("footer", checkFooter);
  await step("language menu", checkLanguageMenu);
  await step("switcher keeps state", checkSwitcherKeepsState);
  await step("screenshots", screenshots);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
