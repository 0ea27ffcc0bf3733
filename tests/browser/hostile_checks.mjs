// Opens pages of a built site in headless Chromium and prints one JSON report of what
// hostile content could make them do.
// Usage: node hostile_checks.mjs BASE_URL PATH...
//   dialogs:  every alert/confirm/prompt that opened (on load, after clicking headings, or
//             while search results for the payload were shown)
//   external: every request that would have left 127.0.0.1 (blocked)
//   unsafe:   event-handler attributes and link targets with another scheme than
//             https:, mailto:, tel: or a relative one, as the DOM has them
import { chromium } from "playwright-core";
import { eachOnPages } from "./pool.mjs";

const [base, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const report = { pages: 0, dialogs: [], external: [], unsafe: [], errors: [] };
const context = await browser.newContext();
await context.route("**/*", (route) => {
  const url = new URL(route.request().url());
  if (url.hostname === "127.0.0.1" || ["data:", "blob:"].includes(url.protocol)) {
    return route.continue();
  }
  report.external.push(url.href);
  return route.abort();
});
async function newPage() {
  const page = await context.newPage();
  page.on("dialog", async (dialog) => {
    report.dialogs.push(`${page.url()}: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
  });
  return page;
}

await eachOnPages(paths, newPage, async (page, path) => {
  try {
    await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
    // Handlers an attribute list could add run on a click; clicks must not navigate away.
    await page.evaluate(() => {
      for (const element of document.querySelectorAll("h1, h2, h3, p, li, dd, span, td")) {
        element.dispatchEvent(new MouseEvent("click", { bubbles: false, cancelable: true }));
      }
    });
    const unsafe = await page.evaluate(() => {
      const found = [];
      for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
          const name = attribute.name.toLowerCase();
          if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
          if (["href", "src", "action", "formaction"].includes(name)) {
            const target = new URL(attribute.value, document.baseURI);
            const allowed = ["http:", "https:", "mailto:", "tel:", ...(name === "src" ? ["data:"] : [])];
            if (!allowed.includes(target.protocol)
                || (target.protocol === "http:" && target.hostname !== "127.0.0.1")) {
              found.push(`${element.tagName} ${name}=${attribute.value}`);
            }
          }
        }
      }
      return found;
    });
    report.unsafe.push(...unsafe.map((u) => `${path}: ${u}`));
    report.pages += 1;
  } catch (error) {
    report.errors.push(`${path}: ${String(error).split("\n")[0]}`);
  }
});
// Search results are rendered from the search index by the theme's script.
const page = await newPage();
for (const lang of ["de", "en"]) {
  try {
    await page.goto(`${base}${lang}/`, { waitUntil: "networkidle" });
    await page.fill("input.md-search__input", "onerror");
    const results = page.locator(".md-search-result__item");
    for (let i = 0; i < 15 && await results.count() === 0; i += 1) {
      await page.press("input.md-search__input", "End");
      await page.waitForTimeout(1000);
    }
    report.searchResults = (report.searchResults || 0) + await results.count();
    await page.waitForTimeout(500);
  } catch (error) {
    report.errors.push(`search ${lang}: ${String(error).split("\n")[0]}`);
  }
}
await browser.close();
console.log(JSON.stringify(report));
