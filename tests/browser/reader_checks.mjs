// A newcomer's phone (390x844) in headless Chromium against the site behind nginx
// (gzip_static on); prints one JSON report. Usage: node reader_checks.mjs BASE LANGS SHOTS
//   weight: the bytes an offer page transfers on a first visit in each language, and
//     whether the search index waits until search opens (then search still finds);
//   keyboard: the focus stops of the home page by Tab at 390 and 1280 px, where each is
//     drawn; the menu button opens the drawer by keyboard;
//   languages: the home page's link to the offers in the reader's language and what it shows;
//   offline: after one visit, pages of that language open with the network cut.
import { chromium } from "playwright-core";

const [base, langList, shots] = process.argv.slice(2);
const LANGS = langList.split(",");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const OFFER = "angebote/sprachpaten/";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const report = { weight: {}, search: {}, focus: {}, drawer: {}, languages: {}, offline: {},
                 noJs: {}, shots: [], failed: {} };

async function step(name, check) {
  try {
    await check();
  } catch (error) {
    report.failed[name] = String(error).split("\n")[0];
  }
}

async function shot(page, name) {
  await page.evaluate(() => document.fonts.ready);
  const file = `${shots}/wegweiser-reader-${name}.png`;
  await page.screenshot({ path: file });
  report.shots.push(file);
}

// Bytes on the wire (headers and compressed bodies) as Chromium counts them.
async function transferred(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const seen = { bytes: 0, urls: [] };
  const urls = new Map();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    seen.bytes += e.encodedDataLength;
    seen.urls.push(urls.get(e.requestId));
  });
  return seen;
}

async function checkWeight() {
  for (const lang of LANGS) {
    // a first visit: empty cache, no service worker yet (its keeping is counted apart)
    const context = await browser.newContext({ viewport: PHONE, serviceWorkers: "block" });
    const page = await context.newPage();
    const seen = await transferred(page);
    await page.goto(`${base}${lang}/${OFFER}`, { waitUntil: "networkidle" });
    report.weight[lang] = { bytes: seen.bytes, requests: seen.urls.length,
                            index: seen.urls.some((u) => u.includes("search_index.json")) };
    await context.close();
  }
}

async function checkSearch() {
  for (const lang of ["de", "ar"]) {
    const context = await browser.newContext({ viewport: PHONE, serviceWorkers: "block" });
    const page = await context.newPage();
    const requested = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
    const before = requested.some((u) => u.includes("search_index.json"));
    await Promise.all([
      page.waitForResponse((r) => r.url().includes("search_index.json"), { timeout: 10000 }),
      page.click("label.md-header__button[for='__search']")]);
    await page.keyboard.type("Sprache", { delay: 50 });
    await page.waitForSelector(".md-search-result__item", { timeout: 15000 });
    report.search[lang] = { beforeOpen: before,
                            results: await page.locator(".md-search-result__item").count() };
    await context.close();
  }
}

// Each focus stop: what it is and where it is drawn (hidden or outside the screen: invisible).
async function focusStops(page, count) {
  const stops = [];
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.press("Tab");
    // where the stop is drawn once what the focus moved (search closing, drawer) settled
    await page.evaluate(async () => {
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
    });
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return {
        name: `${el.tagName.toLowerCase()}.${el.className || ""} ${(el.getAttribute("href") || el.getAttribute("for") || "")}`.trim(),
        text: (el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 40),
        x: Math.round(box.left), y: Math.round(box.top + scrollY), w: Math.round(box.width),
        h: Math.round(box.height),
        visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden"
          && box.right > 0 && box.left < innerWidth && box.bottom > 0 && box.top < innerHeight
          && !!hit && (el === hit || el.contains(hit) || hit.contains(el)),
        menu: !!el.closest(".md-select__inner"),
        search: !!el.closest(".md-search"),
        header: !!el.closest(".md-header"),
      };
    });
    if (!stop) break;
    stops.push(stop);
  }
  return stops;
}

async function checkKeyboard() {
  for (const [size, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    for (const lang of ["de", "ar"]) {
      const context = await browser.newContext({ viewport, serviceWorkers: "block" });
      const page = await context.newPage();
      await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
      report.focus[`${lang}-${size}`] = await focusStops(page, 30);
      await context.close();
    }
  }
}

async function checkDrawer() {
  for (const lang of ["de", "ar"]) {
    const context = await browser.newContext({ viewport: PHONE, serviceWorkers: "block" });
    const page = await context.newPage();
    await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
    await page.focus("label.md-header__button[for='__drawer']");
    const button = await page.evaluate(() => {
      const el = document.activeElement;
      return { focused: el.matches("label[for='__drawer']"), role: el.getAttribute("role"),
               name: el.getAttribute("aria-label"), expanded: el.getAttribute("aria-expanded") };
    });
    await page.keyboard.press("Enter");
    await page.waitForTimeout(400);
    const open = await page.evaluate(() => document.getElementById("__drawer").checked);
    await shot(page, `${lang}-drawer`); // opened by Enter, the focus on its first link
    const inside = await focusStops(page, 12);
    report.drawer[lang] = { button, open, expanded: await page.getAttribute(
      "label.md-header__button[for='__drawer']", "aria-expanded"), inside };
    await context.close();
  }
}

async function checkOwnLanguage() {
  for (const lang of ["de", "ar"]) {
    const context = await browser.newContext({ viewport: PHONE, serviceWorkers: "block" });
    const page = await context.newPage();
    await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
    const link = page.locator(".ww-own-language a");
    const onHome = await link.boundingBox();
    await shot(page, `${lang}-home`);
    await Promise.all([page.waitForURL("**/angebote/**"), link.click()]);
    await page.waitForLoadState("networkidle");
    const list = await page.evaluate((code) => {
      const shown = [...document.querySelectorAll(".ww-offer")].filter((o) => !o.hidden);
      const form = document.querySelector("form.ww-filter").getBoundingClientRect();
      const first = shown[0].getBoundingClientRect();
      return { url: location.href, filter: document.querySelector("#ww-f-language").value,
               shown: shown.length, all: document.querySelectorAll(".ww-offer").length,
               allInLanguage: shown.every((o) => o.dataset.languages.split(" ").includes(code)),
               languagesShown: shown.every((o) => o.querySelector(".ww-languages")),
               formBottom: Math.round(form.bottom), firstOfferTop: Math.round(first.top),
               folded: !document.querySelector("[data-ww-filter-fields]").open };
    }, lang);
    await shot(page, `${lang}-offers-in-my-language`);
    report.languages[lang] = { linkTop: onHome && Math.round(onHome.y), ...list };
    await context.close();
  }
}

async function checkOffline() {
  for (const lang of ["de", "ar"]) {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
    // the worker keeps the language's pages and what the first page loaded
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null,
                               { timeout: 20000 });
    await page.waitForFunction(async (offer) => {
      const names = await caches.keys();
      const all = await Promise.all(names.map((n) => caches.open(n)
        .then((c) => c.keys()).then((ks) => ks.map((k) => k.url))));
      const urls = all.flat();
      return urls.some((u) => u.endsWith(offer)) && urls.some((u) => u.includes("/fonts/"))
        && urls.some((u) => u.endsWith(".css"));
    }, OFFER, { timeout: 30000, polling: 500 });
    const kept = await page.evaluate(async () => {
      let bytes = 0, count = 0;
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          const body = await (await cache.match(request)).arrayBuffer();
          bytes += body.byteLength;
          count += 1;
        }
      }
      return { bytes, count };
    });
    // the brochure only on request: the button appears once the worker runs
    await page.click("[data-keep]");
    await page.waitForFunction(() => document.querySelector(".ww-keep [role='status']")
      .textContent.trim() !== "", null, { timeout: 60000 });
    const brochure = await page.evaluate(() => ({
      url: new URL(document.querySelector("[data-keep]").dataset.keep, location.href).href,
      status: document.querySelector(".ww-keep [role='status']").textContent.trim(),
      statusLang: (document.querySelector(".ww-keep [role='status'] [lang]") || {}).lang || "",
    }));
    await shot(page, `${lang}-brochure-kept`);
    await context.setOffline(true);
    Object.assign(brochure, await page.evaluate(async (url) => {
      const response = await fetch(url);
      const head = new Uint8Array(await response.arrayBuffer());
      return { ok: response.ok, type: response.headers.get("content-type"),
               bytes: head.length, magic: String.fromCharCode(...head.slice(0, 5)) };
    }, brochure.url));
    const failed = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    await page.goto(`${base}${lang}/${OFFER}`, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready);
    const offer = await page.evaluate(() => ({
      title: document.querySelector("h1") && document.querySelector("h1").textContent.trim(),
      styled: getComputedStyle(document.querySelector(".md-header")).position === "sticky",
      fonts: [...document.fonts].filter((f) => f.status === "loaded").map((f) => f.family),
    }));
    await shot(page, `${lang}-offline-offer`);
    await page.goto(`${base}${lang}/angebote/?sprache=${lang}`, { waitUntil: "load" });
    const list = await page.evaluate(() => document.querySelectorAll(".ww-offer").length);
    report.offline[lang] = { kept, offer, list, failed, brochure };
    await context.close();
  }
  // without JavaScript the site works as before, and no worker is registered
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}ar/${OFFER}`, { waitUntil: "load" });
  report.noJs = { title: (await page.textContent("h1")).trim(),
                  workers: context.serviceWorkers().length };
  await page.goto(`${base}ar/`, { waitUntil: "load" });
  report.noJs.keepShown = await page.isVisible("[data-keep]");
  // the menu by keyboard: the first Tab reaches it, Space opens it, the next Tab is in it
  report.noJs.menu = {};
  for (const lang of ["de", "ar"]) {
    await page.goto(`${base}${lang}/${OFFER}`, { waitUntil: "load" });
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const button = document.querySelector(".md-header__button[for='__drawer']");
      return { id: document.activeElement.id, name: document.activeElement.ariaLabel,
               outline: getComputedStyle(button).outlineStyle };
    });
    await page.keyboard.press(" ");
    await page.waitForTimeout(400); // the drawer slides in
    await page.keyboard.press("Tab");
    const opened = await page.evaluate(() => {
      const drawer = document.querySelector(".md-sidebar--primary");
      const box = drawer.getBoundingClientRect();
      const at = document.activeElement.getBoundingClientRect();
      return { visible: getComputedStyle(drawer).visibility === "visible",
               onScreen: box.right > 0 && box.left < innerWidth,
               focusInDrawer: drawer.contains(document.activeElement),
               focusOnScreen: at.width > 0 && at.left >= 0 && at.right <= innerWidth };
    });
    await shot(page, `${lang}-nojs-menu`);
    report.noJs.menu[lang] = { ...focused, ...opened };
  }
  await context.close();
}

try {
  await step("weight", checkWeight);
  await step("search", checkSearch);
  await step("keyboard", checkKeyboard);
  await step("drawer", checkDrawer);
  await step("own language", checkOwnLanguage);
  await step("offline", checkOffline);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
