// Runs axe-core over each HTML file given, in Debian's Chromium (no browser is downloaded), and
// fails on any WCAG 2.0, 2.1 or 2.2 A or AA violation. Usage: node check.mjs FILE.html...
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs FILE.html...");
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
let failures = 0;
try {
  for (const file of files) {
    const page = await browser.newPage();
    // At 320 px wide, as WCAG's reflow criterion asks, and at a desktop width.
    for (const width of [320, 1280]) {
      await page.setViewport({ width, height: 900 });
      await page.goto("file://" + resolve(file), { waitUntil: "load" });
      await page.evaluate(axeSource);
      const results = await page.evaluate(() =>
        window.axe.run(document, {
          runOnly: {
            type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
          },
        }),
      );
      for (const violation of results.violations) {
        failures += 1;
        console.log(`${file} (${width} px): ${violation.id}: ${violation.help}`);
        for (const node of violation.nodes.slice(0, 5)) {
          console.log(`    ${node.target.join(" ")}`);
        }
      }
      // Nothing scrolls the page sideways.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (overflow > 0) {
        failures += 1;
        console.log(`${file} (${width} px): the page scrolls sideways by ${overflow} px`);
      }
    }
    await page.close();
  }
} finally {
  await browser.close();
}
if (failures > 0) {
  console.log(`${failures} accessibility problem(s)`);
  process.exit(1);
}
console.log(`${files.length} document(s): no WCAG A or AA violations found by axe`);
