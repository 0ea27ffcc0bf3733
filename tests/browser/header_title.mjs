// Where the header's site title is cut on a phone (390x844) in headless Chromium; prints one
// JSON report: for each address given, whether the title's first and last letters are
// inside the header's title area, and the title's text.
// Usage: node header_title.mjs URL...
import { chromium } from "playwright-core";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
const report = {};
for (const url of process.argv.slice(2)) {
  await page.goto(url, { waitUntil: "load" });
  report[url] = await page.evaluate(() => {
    const area = document.querySelector(".md-header__title").getBoundingClientRect();
    const title = document.querySelector(".md-header__topic .md-ellipsis");
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT,
      { acceptNode: (n) => (n.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP) });
    const text = walker.nextNode();
    const shown = (i) => {
      const letter = document.createRange();
      letter.setStart(text, i);
      letter.setEnd(text, i + 1);
      const r = letter.getBoundingClientRect();
      return r.left >= area.left - 0.5 && r.right <= area.right + 0.5;
    };
    const start = text.data.search(/\S/);
    return { text: text.data.trim(), first: shown(start),
             last: shown(text.data.trimEnd().length - 1) };
  });
}
await browser.close();
console.log(JSON.stringify(report));
