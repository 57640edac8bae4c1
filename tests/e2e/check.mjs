// The subscribe page in headless Chromium. Arguments: the Chromium binary,
// the page's URL (from `talkfeed serve`), the talks as `talkfeed list
// --format json` printed them, the site's base URL, the screenshot folder.
// Every check compares the page with talkfeed's own talk list and the
// served files, never with the page's renderer.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const [executablePath, pageUrl, talksFile, baseUrl, shots] = process.argv.slice(2);
const talks = readFileSync(talksFile, "utf8").trim().split("\n").map(JSON.parse).filter((t) => t.in_calendar);
const now = new Date("2026-11-24T12:00:00Z");
const calendar = new URL("talks.ics", baseUrl).href;
const webcal = calendar.replace(/^https?:/, "webcal:");
let failures = 0;
const check = (ok, what) => {
  if (!ok) {
    failures++;
    console.error(`e2e: FAIL ${what}`);
  }
};

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  for (const [scheme, javaScriptEnabled] of [["light", true], ["dark", true], ["light", false]]) {
    const context = await browser.newContext({
      colorScheme: scheme, javaScriptEnabled, timezoneId: "America/New_York", viewport: { width: 1024, height: 800 },
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    const response = await page.goto(pageUrl);
    const mode = `${scheme}${javaScriptEnabled ? "" : ", no JS"}`;
    check(response.status() === 200, `${mode}: the page loads`);
    check(errors.length === 0, `${mode}: no script errors: ${errors.join("; ")}`);

    // Landmarks and headings.
    check(await page.locator("main").count() === 1, `${mode}: one main landmark`);
    check(await page.locator("h1").count() === 1, `${mode}: one h1`);
    const headings = await page.locator("h2").allInnerTexts();
    for (const h of ["Subscribe", "Upcoming talks", "Past talks"]) check(headings.includes(h), `${mode}: a "${h}" heading`);

    // Every talk, in the right list, linked to its page, with a working .ics.
    for (const t of talks) {
      const heading = page.getByRole("heading", { level: 3, name: t.title, exact: true });
      const item = page.locator("li.talk").filter({ has: heading });
      check(await item.count() === 1, `${mode}: "${t.title}" is listed once`);
      if (await item.count() !== 1) continue;
      const href = await item.locator("h3 a").getAttribute("href");
      check(href === new URL(t.permalink, baseUrl).href, `${mode}: "${t.title}" links to its page (${href})`);
      const end = t.all_day ? new Date(`${t.end}T00:00:00Z`).getTime() + 86400000 : new Date(t.end ?? t.start).getTime();
      const list = end >= now.getTime() ? "upcoming" : "past";
      check(await page.locator(`section:has(h2#${list}) li.talk`).filter({ has: heading }).count() === 1,
        `${mode}: "${t.title}" is under ${list}`);
      if (t.event) check((await item.innerText()).includes(t.event), `${mode}: "${t.title}" names its event`);
      // In the talk's own zone, and, with JS, in the reader's (New York).
      const when = await item.locator("time").innerText();
      check(/\d{4}/.test(when), `${mode}: "${t.title}" has a date (${when})`);
      if (t.zone) check(when.includes(t.zone), `${mode}: "${t.title}" is shown in its zone ${t.zone} (${when})`);
      const yours = await item.locator("p.yours").allInnerTexts();
      if (!t.all_day && javaScriptEnabled) {
        check(yours.length === 1 && yours[0].includes("America/New_York"), `${mode}: "${t.title}" also in the reader's zone (${yours})`);
      } else {
        check(yours.length === 0, `${mode}: "${t.title}" has no second time (${yours})`);
      }
      // An h-event with the start the page gives.
      check(await item.evaluate((li) => li.classList.contains("h-event")), `${mode}: "${t.title}" is an h-event`);
      check(await item.locator(".dt-start").getAttribute("datetime") === t.start, `${mode}: "${t.title}" dt-start is ${t.start}`);
      // "Add to" links with the talk's times in UTC.
      const startUtc = t.all_day ? null : new Date(t.start);
      const endUtc = t.all_day ? null : new Date(t.end ?? new Date(startUtc.getTime() + 3600000));
      const compact = (d) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      const nextDay = (day) => new Date(new Date(`${day}T00:00:00Z`).getTime() + 86400000).toISOString().slice(0, 10);
      const google = new URL(await item.getByRole("link", { name: `Add ${t.title} to Google Calendar` }).getAttribute("href"));
      const dates = t.all_day ? `${t.start.replaceAll("-", "")}/${nextDay(t.end).replaceAll("-", "")}` : `${compact(startUtc)}/${compact(endUtc)}`;
      check(google.origin + google.pathname === "https://calendar.google.com/calendar/render" && google.searchParams.get("action") === "TEMPLATE"
        && google.searchParams.get("text") === t.title && google.searchParams.get("dates") === dates
        && google.searchParams.get("ctz") === (t.zone ?? null)
        && google.searchParams.get("details").includes(new URL(t.permalink, baseUrl).href),
        `${mode}: "${t.title}" Google Calendar link (${google})`);
      const outlook = new URL(await item.getByRole("link", { name: `Add ${t.title} to Outlook.com` }).getAttribute("href"));
      const outlookTimes = t.all_day ? [t.start, nextDay(t.end)] : [startUtc, endUtc].map((d) => d.toISOString().replace(/\.\d+Z$/, "Z"));
      check(outlook.origin + outlook.pathname === "https://outlook.live.com/calendar/0/deeplink/compose"
        && outlook.searchParams.get("rru") === "addevent" && outlook.searchParams.get("subject") === t.title
        && outlook.searchParams.get("startdt") === outlookTimes[0] && outlook.searchParams.get("enddt") === outlookTimes[1]
        && outlook.searchParams.get("allday") === String(t.all_day),
        `${mode}: "${t.title}" Outlook.com link (${outlook})`);
      const ics = await item.getByRole("link", { name: "Add to calendar" }).getAttribute("href");
      const reply = await page.request.get(new URL(ics, pageUrl).href);
      check(reply.status() === 200 && reply.headers()["content-type"] === "text/calendar; charset=utf-8",
        `${mode}: "${t.title}" add-to-calendar file is served as a calendar`);
      check((await reply.text()).includes("BEGIN:VEVENT"), `${mode}: "${t.title}" add-to-calendar file has its event`);
    }
    check(await page.locator("li.talk").count() === talks.length, `${mode}: no talk besides the calendar's`);

    // schema.org Events for the upcoming talks, as JSON-LD.
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
    const upcoming = talks.filter((t) => (t.all_day ? new Date(`${t.end}T00:00:00Z`).getTime() + 86400000 : new Date(t.end ?? t.start).getTime()) >= now.getTime());
    check(ld["@context"] === "https://schema.org" && ld["@graph"].length === upcoming.length, `${mode}: one JSON-LD Event per upcoming talk`);
    for (const t of upcoming) {
      const e = ld["@graph"].find((e) => e.name === t.title);
      check(e && e["@type"] === "Event" && e.url === new URL(t.permalink, baseUrl).href, `${mode}: JSON-LD Event for "${t.title}"`);
      if (!e) continue;
      check(e.startDate === t.start, `${mode}: JSON-LD startDate of "${t.title}" is ${t.start} (${e.startDate})`);
      const status = t.status === "cancelled" ? "EventCancelled" : "EventScheduled";
      check(e.eventStatus === `https://schema.org/${status}`, `${mode}: JSON-LD status of "${t.title}"`);
      check(/^https:\/\/schema.org\/(Offline|Online|Mixed)EventAttendanceMode$/.test(e.eventAttendanceMode), `${mode}: JSON-LD attendance mode of "${t.title}"`);
    }

    // Subscribe links.
    const link = (name) => page.locator("a", { hasText: name }).first().getAttribute("href");
    check(await link("Apple Calendar") === webcal, `${mode}: the webcal link is ${webcal}`);
    const google = new URL(await link("Google Calendar"));
    check(google.origin + google.pathname === "https://calendar.google.com/calendar/r" && google.searchParams.get("cid") === webcal,
      `${mode}: Google Calendar gets cid=${webcal}`);
    const outlook = new URL(await link("Outlook.com"));
    check(outlook.origin + outlook.pathname === "https://outlook.live.com/calendar/0/addfromweb"
      && outlook.searchParams.get("url") === calendar, `${mode}: Outlook.com gets url=${calendar}`);
    check(await page.locator("#calendar-url").inputValue() === calendar, `${mode}: the copy field holds ${calendar}`);

    // Feed autodiscovery, and every feed served with its type.
    const types = { "application/rss+xml": "rss.xml", "application/atom+xml": "atom.xml",
      "application/feed+json": "feed.json", "text/calendar": "talks.ics" };
    for (const [type, file] of Object.entries(types)) {
      const href = await page.locator(`head link[rel=alternate][type="${type}"]`).getAttribute("href");
      check(href === file, `${mode}: autodiscovery of ${file}`);
      const reply = await page.request.get(new URL(file, pageUrl).href);
      check(reply.status() === 200 && reply.headers()["content-type"].startsWith(type), `${mode}: ${file} is served as ${type}`);
    }
    // The calendars with reminders (--alarm 30m --alarm 1d): subscribe and
    // address links to each, served as calendars holding VALARMs.
    check((await page.locator(".reminders").textContent()).includes("1 day and 30 minutes before each talk"),
      `${mode}: the reminders say when they ring`);
    const reminders = await page.locator(".reminders a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const expected = ["talks-reminders.ics", "upcoming-reminders.ics"].flatMap((file) => {
      const address = new URL(file, baseUrl).href;
      return [address.replace(/^https?:/, "webcal:"), address];
    });
    check(JSON.stringify(reminders) === JSON.stringify(expected), `${mode}: reminders links ${reminders} are ${expected}`);
    for (const file of ["talks-reminders.ics", "upcoming-reminders.ics"]) {
      const reply = await page.request.get(new URL(file, pageUrl).href);
      const body = await reply.text();
      check(reply.status() === 200 && reply.headers()["content-type"].startsWith("text/calendar")
        && body.includes("BEGIN:VALARM\r\nACTION:DISPLAY"), `${mode}: ${file} is served with its alarms`);
    }
    // The schedules for conference apps: one per event of the sample,
    // each file linked and served with its type.
    const events = new Set(talks.filter((t) => t.event).map((t) => t.event.toLowerCase()));
    const scheduleLinks = await page.locator("#schedules ~ ul a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    check(events.size > 0 && scheduleLinks.length === 2 * events.size, `${mode}: ${scheduleLinks.length} schedule links for ${events.size} events`);
    for (const href of scheduleLinks) {
      check(href.startsWith(new URL("schedules/", baseUrl).href), `${mode}: ${href} is under schedules/`);
      const reply = await page.request.get(new URL(new URL(href).pathname, pageUrl).href);
      const type = href.endsWith(".json") ? "application/json" : "application/vnd.c3voc.schedule+xml";
      check(reply.status() === 200 && reply.headers()["content-type"].startsWith(type), `${mode}: ${href} is served as ${type}`);
    }
    // The per-tag calendars the build wrote are linked and served.
    const tagFeeds = await page.locator("#by-tag ~ ul a", { hasText: "RSS" }).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    check(tagFeeds.length > 0, `${mode}: per-tag feeds are linked`);
    for (const href of tagFeeds) {
      const reply = await page.request.get(new URL(href, pageUrl).href);
      check(reply.status() === 200, `${mode}: ${href} is served`);
    }

    // Keyboard: the first Tab lands on a link with a visible focus ring.
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { tag: e.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    check(focus.tag === "A" && focus.outline !== "none" && focus.width >= 2, `${mode}: focus is visible (${JSON.stringify(focus)})`);

    // Contrast of body text and links against the background (WCAG AA: 4.5).
    const contrast = await page.evaluate(() => {
      const rgb = (c) => c.match(/[\d.]+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const bg = getComputedStyle(document.body).backgroundColor;
      return Math.min(...["body", "a", ".when", "footer"].map((s) => ratio(getComputedStyle(document.querySelector(s)).color, bg)));
    });
    check(contrast >= 4.5, `${mode}: text contrast ${contrast.toFixed(2)} is at least 4.5`);

    await page.screenshot({ path: `${shots}/index-${scheme}${javaScriptEnabled ? "" : "-nojs"}.png`, fullPage: true });
    if (scheme === "light" && javaScriptEnabled) {
      await page.screenshot({ path: `${shots}/index.png`, fullPage: true });
      // A phone: nothing wider than the screen.
      await page.setViewportSize({ width: 360, height: 740 });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      check(wide <= 360, `phone: the page fits 360 px (${wide})`);
      await page.screenshot({ path: `${shots}/index-phone.png`, fullPage: true });
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (failures) {
  console.error(`e2e: ${failures} checks failed; screenshots in ${shots}/`);
  process.exit(1);
}
console.log(`e2e: ${talks.length} talks and every subscribe link correct in headless Chromium (light, dark, no JS, phone); screenshots in ${shots}/`);
