// The browser journey of issue #5, in headless Chromium (Debian's `chromium`) driven by
// playwright-core, with no JavaScript needed by the pages themselves.
//
//   node browser-journey.mjs setup   BASE SETUP_LINK STATE_FILE
//   node browser-journey.mjs publish BASE STATE_FILE IMAGE_FILE
//   node browser-journey.mjs organise BASE SETUP_LINK TARGET
//
// `setup`: the setup link → the node admin's password → create the co-op `riverside` →
// invite its first member → (a second browser) the invitation → her password → log out →
// log in. The member's cookies are saved to STATE_FILE.
// `publish`: as that member, edit the profile and upload an avatar, then publish a story
// with an image and alt text. Prints one JSON line: {"story": URL}.
// `organise` (a directory node): the setup link → the node admin invites an organiser →
// (a second browser) the invitation → /organise → invite TARGET. Prints {"message": …}.
// Any failure prints the page's text and exits 1. CHROMIUM overrides /usr/bin/chromium.

import { chromium } from "playwright-core";

const [phase, base, ...rest] = process.argv.slice(2);
const PASSWORD = "a long enough password";

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
}

async function submit(page, formSelector, urlPattern) {
  await Promise.all([
    page.waitForURL(urlPattern),
    page.click(`${formSelector} button[type=submit]`),
  ]);
}

async function setup(browser, link, stateFile) {
  const admin = await (await browser.newContext()).newPage();
  await admin.goto(link);
  await admin.fill("#username", "admin");
  await admin.fill("#password", PASSWORD);
  await admin.fill("#confirm", PASSWORD);
  await submit(admin, "form", "**/account");
  await admin.goto(`${base}/admin`);
  await admin.fill("#handle", "riverside");
  await admin.fill("#name", "Riverside Films");
  await admin.selectOption("#nation", "wales");
  await admin.selectOption("#sector", "film");
  await submit(admin, 'form[action="/admin/coops"]', "**/admin");
  await admin.fill("#coop", "riverside");
  await admin.selectOption("#role", "admin");
  await admin.click('form[action="/admin/invites"] button[type=submit]');
  const invite = (await admin.textContent("p[role=status] code")).trim();

  const context = await browser.newContext();
  const member = await context.newPage();
  await member.goto(invite);
  await member.fill("#username", "rhian");
  await member.fill("#password", PASSWORD);
  await member.fill("#confirm", PASSWORD);
  await submit(member, "form", "**/account");
  await submit(member, 'form[action="/logout"]', "**/login");
  await member.fill("#username", "rhian");
  await member.fill("#password", PASSWORD);
  await submit(member, 'form[action="/login"]', "**/account");
  await context.storageState({ path: stateFile });
  console.log(JSON.stringify({ invite }));
}

async function publish(browser, stateFile, image) {
  const context = await browser.newContext({ storageState: stateFile });
  const page = await context.newPage();
  await page.goto(`${base}/manage/riverside/profile`);
  await page.fill("#name", "Riverside Film Co-op");
  await page.fill("#summary", "We make **documentaries** in the valleys.");
  await page.fill("#locality", "Merthyr Tydfil");
  await submit(page, 'form[action="/manage/riverside/profile"]', "**/manage/riverside/profile");
  await page.setInputFiles("#avatar", image);
  await submit(page, 'form[action="/manage/riverside/avatar"]', "**/manage/riverside/profile");

  await page.goto(`${base}/manage/riverside/stories/new`);
  await page.fill("#title", "Our first screening");
  await page.selectOption("#kind", "event");
  await page.fill("#tags", "film valleys");
  await page.fill("#body", "Come to the **Workmen's Hall** on Friday.");
  await page.setInputFiles("#image", image);
  await page.fill("#alt", "Volunteers setting out chairs in a hall");
  await page.click('button[value="preview"]');
  await page.waitForSelector("#preview-heading");
  // The preview kept the uploaded image; publish it.
  await Promise.all([
    page.waitForURL("**/coops/riverside/stories/*"),
    page.click('button[value="publish"]'),
  ]);
  console.log(JSON.stringify({ story: page.url() }));
}

async function organise(browser, link, target) {
  const admin = await (await browser.newContext()).newPage();
  await admin.goto(link);
  await admin.fill("#username", "admin");
  await admin.fill("#password", PASSWORD);
  await admin.fill("#confirm", PASSWORD);
  await submit(admin, "form", "**/account");
  await admin.goto(`${base}/admin`);
  await admin.click('form[action="/admin/organisers"] button[type=submit]');
  const invite = (await admin.textContent("p[role=status] code")).trim();

  const page = await (await browser.newContext()).newPage();
  await page.goto(invite);
  await page.fill("#username", "olu");
  await page.fill("#password", PASSWORD);
  await page.fill("#confirm", PASSWORD);
  await submit(page, "form", "**/account");
  await page.click('a[href="/organise"]');
  await page.waitForURL("**/organise");
  await page.fill("#target", target);
  await page.click('form[action="/organise/add"] button[type=submit]');
  const message = (await page.textContent("p[role=status]")).trim();
  console.log(JSON.stringify({ message }));
}

const browser = await launch();
try {
  if (phase === "setup") await setup(browser, rest[0], rest[1]);
  else if (phase === "publish") await publish(browser, rest[0], rest[1]);
  else if (phase === "organise") await organise(browser, rest[0], rest[1]);
  else throw new Error(`unknown phase ${phase}`);
} catch (e) {
  console.error(`browser journey failed: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
