// Accessibility checks of issue #6: axe-core in headless Chromium (Debian's `chromium`,
// driven by playwright-core), and optionally screenshots of the same pages.
//
//   node accessibility.mjs SPEC_FILE
//
// SPEC_FILE is JSON:
//   {
//     "pages": [{"name": "node-home", "url": "http://localhost:…/", "state": "FILE"?,
//                "submit": {"fill": {SELECTOR: VALUE}, "click": SELECTOR, "expect": SELECTOR}?}, …],
//     "runs": [{"lang": "en"|"cy", "colorScheme": "light"|"dark"?, "rules": ["color-contrast"]?}, …],
//     "screenshots": "DIR"?          (writes DIR/<name>-<lang>-<width>.png, light runs only)
//   }
// `state` is a Playwright storage-state file (the cookies of a signed-in member). With
// `submit`, the page's form is filled in and submitted first, and the answer is checked
// (it must hold `expect`, e.g. the error beside a field). Each run
// opens every page with `Accept-Language: <lang>` and the matching locale, injects axe-core
// and runs it with the WCAG 2.0/2.1/2.2 A and AA tags plus best-practice (or only `rules`).
// Requests leaving loopback (or data:) are aborted, so no test traffic reaches the internet.
//
// Prints every violation readably on stderr, then one JSON line on stdout:
//   {"results": [{"run": {…}, "name", "url", "finalUrl", "lang": <html lang>, "violations":
//     [{"id", "impact", "help", "helpUrl", "nodes": [{"target", "summary"}]}]}]}
// Exit status 0 whatever axe found (the caller decides); 1 when a page could not be checked.
// CHROMIUM overrides /usr/bin/chromium.

import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const WIDTHS = [390, 1280];

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));

function local(url) {
  if (url.startsWith("data:") || url.startsWith("about:")) return true;
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
}

async function check(browser, run, page) {
  const context = await browser.newContext({
    locale: run.lang === "cy" ? "cy-GB" : "en-GB",
    extraHTTPHeaders: { "Accept-Language": run.lang },
    colorScheme: run.colorScheme || "light",
    viewport: { width: 1280, height: 900 },
    ...(page.state ? { storageState: page.state } : {}),
  });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    console.error(`aborted a request leaving loopback: ${url}`);
    return route.abort();
  });
  const tab = await context.newPage();
  try {
    const response = await tab.goto(page.url, { waitUntil: "load" });
    if (response && response.status() >= 400) {
      throw new Error(`${page.url} answered ${response.status()}`);
    }
    if (page.submit) {
      // Fill in the form, submit it, and check the page that answers (a refused form).
      for (const [selector, value] of Object.entries(page.submit.fill || {})) {
        await tab.fill(selector, value);
      }
      await Promise.all([tab.waitForNavigation({ waitUntil: "load" }), tab.click(page.submit.click)]);
      if (page.submit.expect && !(await tab.$(page.submit.expect))) {
        throw new Error(`${page.name}: no ${page.submit.expect} after submitting the form`);
      }
    }
    await tab.addScriptTag({ content: AXE });
    const options = run.rules
      ? { runOnly: { type: "rule", values: run.rules } }
      : { runOnly: { type: "tag", values: TAGS } };
    const result = await tab.evaluate((o) => window.axe.run(document, o), options);
    const lang = await tab.evaluate(() => document.documentElement.getAttribute("lang"));
    if (spec.screenshots && page.screenshot !== false && (run.colorScheme || "light") === "light" && !run.rules) {
      mkdirSync(spec.screenshots, { recursive: true });
      for (const width of WIDTHS) {
        await tab.setViewportSize({ width, height: 900 });
        await tab.screenshot({
          path: join(spec.screenshots, `${page.name}-${run.lang}-${width}.png`),
          fullPage: true,
          animations: "disabled",
        });
      }
    }
    return {
      run,
      name: page.name,
      url: page.url,
      finalUrl: tab.url(),
      lang,
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
    };
  } finally {
    await context.close();
  }
}

function describe(r) {
  const scheme = r.run.colorScheme || "light";
  const lines = [];
  for (const v of r.violations) {
    lines.push(`[${v.impact}] ${r.name} (${r.run.lang}, ${scheme}) ${v.id}: ${v.help}`);
    lines.push(`    ${v.helpUrl}`);
    for (const n of v.nodes) {
      lines.push(`    at ${n.target.join(" ")}`);
      if (n.summary) lines.push(`       ${n.summary.replace(/\n/g, "\n       ")}`);
    }
  }
  return lines.join("\n");
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--font-render-hinting=none"],
});
try {
  const results = [];
  for (const run of spec.runs) {
    for (const page of spec.pages) {
      const r = await check(browser, run, page);
      if (r.violations.length) console.error(describe(r));
      results.push(r);
    }
  }
  console.log(JSON.stringify({ results }));
} catch (e) {
  console.error(`accessibility check failed: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
