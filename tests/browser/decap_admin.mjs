// Opens the web form editor (/admin/) in headless Chromium and reports what it shows.
// Usage: node decap_admin.mjs URL [NEW_TITLE]. Prints JSON: the list of offers, the form
// of one offer, and every request that tried to leave the machine (blocked). With
// NEW_TITLE, the offer is renamed in the form and published (decap-server writes the file).
import { chromium } from "playwright-core";

const [url, newTitle] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const external = [];
const errors = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.route("**/*", (route) => {
    const target = new URL(route.request().url());
    const local = ["127.0.0.1", "localhost"].includes(target.hostname)
      || ["data:", "blob:"].includes(target.protocol);
    if (local) return route.continue();
    external.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  const login = page.getByRole("button", { name: /login|anmelden/i });
  await login.first().click({ timeout: 30000 });
  await page.waitForSelector("text=Angebote", { timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll("a[href*='/entries/']").length > 0,
                             null, { timeout: 30000 });
  const text = await page.evaluate(() => document.body.innerText);
  const entries = await page.evaluate(() => [...document.querySelectorAll("a[href*='/entries/']")]
    .map((a) => a.getAttribute("href")));
  // One entry's form: every field of the schema, filled from the file.
  await page.click("a[href$='/entries/sprachpaten']");
  await page.waitForSelector("text=Zielgruppen", { timeout: 30000 });
  await page.waitForTimeout(1000);
  const form = await page.evaluate(() => document.body.innerText);
  const values = await page.evaluate(() => [...document.querySelectorAll("input, textarea")]
    .map((e) => e.value).filter((v) => v));
  let saved = false;
  if (newTitle) {
    await page.locator("input").first().fill(newTitle);
    await page.getByText(/^Veröffentlichen$/).first().click();
    const persisted = page.waitForResponse((r) => r.url().includes("/api/v1")
      && (r.request().postData() || "").includes("persistEntry"), { timeout: 30000 });
    await page.getByText(/Jetzt veröffentlichen/).first().click();
    await persisted;
    saved = true;
  }
  console.log(JSON.stringify({ text, entries, form, values, saved, external, errors }));
} catch (e) {
  console.log(JSON.stringify({ failure: String(e), external, errors }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
