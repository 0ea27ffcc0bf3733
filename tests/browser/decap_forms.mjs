// Opens the form of every collection of the web form editor (/admin/) in headless
// Chromium. Usage: node decap_forms.mjs ADMIN_URL. Prints JSON: for each form whether
// its first German label appeared, page errors, and blocked requests to third parties.
import { chromium } from "playwright-core";

const base = process.argv[2];
const forms = [
  ["contacts/entries/ki-leverkusen", "Öffnungszeiten"],
  ["programme/entries/2026-12", "Regelmäßige Termine"],
  ["programme/new", "Veranstaltungsort"],
  ["notices/entries/notices", "Hinweise"],
  ["pages/entries/impressum", "Seitentitel"],
  ["offers/new", "Zielgruppen"],
];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const external = [];
const errors = [];
const shown = {};
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => d.accept());  // "leave without saving?" between the forms
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.route("**/*", (route) => {
    const target = new URL(route.request().url());
    if (["127.0.0.1", "localhost"].includes(target.hostname)
        || ["data:", "blob:"].includes(target.protocol)) return route.continue();
    external.push(target.href);
    return route.abort();
  });
  await page.goto(base + "#/collections/offers");
  // Decap's bundle is large: on a busy machine its login takes a while to appear
  await page.getByRole("button", { name: /login|anmelden/i }).first().click({ timeout: 90000 });
  await page.waitForSelector("a[href*='/entries/']", { timeout: 90000 });
  for (const [path, label] of forms) {
    await page.goto(base + "#/collections/" + path);
    shown[path] = await page.waitForSelector("text=" + label, { timeout: 15000 })
      .then(() => true, () => false);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ shown, errors, external }));
