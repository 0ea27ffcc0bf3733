// Pages opened a few at a time: most of a page's time in these checks is the wait for the
// network to go quiet (networkidle: 500 ms without a request), which overlaps freely.
export const PAGES_AT_ONCE = 4;

// Runs task(page, item) for every item on `size` pages made by newPage(), each page taking
// the next item when it is done; resolves when all are done.
export async function eachOnPages(items, newPage, task, size = PAGES_AT_ONCE) {
  const queue = [...items];
  const pages = await Promise.all(
    Array.from({ length: Math.min(size, queue.length) }, () => newPage()));
  await Promise.all(pages.map(async (page) => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await task(page, item);
    }
  }));
  await Promise.all(pages.map((page) => page.close()));
}
