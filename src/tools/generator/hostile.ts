/**
 * Hostile strings for tests and the demo: cells with HTML, quotes, commas and newlines, masked
 * and IPv6 addresses, an empty user, a formula, a very long cell; Auth0 events with a masked
 * address, HTML in the user name, a null client_id, scope as an array. Every string from a log is
 * attacker-controlled: these check that nothing breaks and nothing is executed.
 */
import { clientCredentialsEvent, createAuth0Factory, failedLoginEvent, loginEvent, mergeAuth0Events, type Auth0LogEvent } from "./auth0-events.ts";
import { labelKeyForAuth0, labelKeyForConsole } from "./anomalies.ts";
import { createRowFactory, makeCells, type GeneratedConsoleRow } from "./console-rows.ts";
import { LOGIN, RECORD_VIEW, type ConsoleCells } from "./console-vocabulary.ts";
import type { Organisation } from "./organisation.ts";
import { Random } from "./random.ts";
import { calendarDays, localToUtc } from "./time.ts";

/** One hostile event and what is hostile about it. */
export interface HostileCase {
  source: "kintone" | "auth0";
  /** Auth0 log_id; null for console rows. */
  externalId: string | null;
  /** Same key scheme as anomaly labels. */
  key: string;
  what: string;
}

/** The hostile app name used in a complement. */
export const HOSTILE_APP_NAME = "<script>alert(1)</script>";

/**
 * Adds a few hostile console rows and Auth0 events (on the range's last working day, inside
 * office hours). Returns new arrays (console newest first; Auth0 in log-id order, existing ids unchanged).
 */
export function injectHostile(
  org: Organisation,
  consoleRows: readonly GeneratedConsoleRow[],
  auth0Events: readonly Auth0LogEvent[],
  range: { from: string; to: string },
  seed = org.seed,
): { consoleRows: GeneratedConsoleRow[]; auth0Events: Auth0LogEvent[]; hostile: HostileCase[] } {
  const random = new Random(seed, "hostile");
  const days = calendarDays(range.from, range.to);
  const day = [...days].reverse().find((d) => !d.isDayOff) ?? days[days.length - 1]!;
  const factory = createRowFactory(org, random, day.localMidnight);
  const person = org.people[0]!;
  const rows = consoleRows.slice();
  const keys = new Set(consoleRows.map((r) => labelKeyForConsole(r.cells)));
  const hostile: HostileCase[] = [];
  let minute = 10 * 60 + 7;
  const timeAt = (): number => localToUtc(org.timezone, day.localMidnight + (minute++ * 60 + 13) * 1000);

  const consoleCase = (what: string, change: (cells: ConsoleCells) => void): void => {
    const time = timeAt();
    const cells = makeCells(factory, time, RECORD_VIEW, person.login, { ip: person.officeIp, userAgent: person.browser.raw }, person.apps[0] ?? 23);
    change(cells);
    let key = labelKeyForConsole(cells);
    while (keys.has(key)) key += "+";
    keys.add(key);
    rows.push({ time, cells });
    hostile.push({ source: "kintone", externalId: null, key, what });
  };
  consoleCase("script tag as the app name", (c) => {
    c.Complement = `app id: 999, app name: ${HOSTILE_APP_NAME}, record id: 1`;
  });
  consoleCase("quotes and a comma in the user", (c) => {
    c.User = `"quoted" user, with comma`;
  });
  consoleCase("newlines in the user and the complement", (c) => {
    c.User = "first line\nsecond line";
    c.Complement = `app id: 12, app name: 顧客管理, record id: 5, note: "a"\r\nb, c`;
  });
  consoleCase("masked address", (c) => {
    c["IP Address"] = "xx.xxx.xxx.xx";
  });
  consoleCase("IPv6 address", (c) => {
    c["IP Address"] = "2001:db8:85a3::8a2e:370:7334";
  });
  consoleCase("IPv4-mapped IPv6 address", (c) => {
    c["IP Address"] = "::ffff:203.0.113.10";
  });
  consoleCase("empty user", (c) => {
    c.User = "";
    c.Module = LOGIN.module;
    c.Action = LOGIN.action;
    c.Service = LOGIN.service;
    c.Result = "FAILED";
    c["Error Code"] = "CB_WA01";
    c.Complement = "";
  });
  consoleCase("spreadsheet formula and HTML in the user agent", (c) => {
    c.Complement = `=HYPERLINK("http://evil.example/","click")`;
    c["User Agent"] = `<img src=x onerror=alert(1)>`;
  });
  consoleCase("a 5,000-character complement", (c) => {
    c.Complement = `app id: 12, app name: 顧客管理, record id: 5, note: ${"長い".repeat(2500)}`;
  });
  rows.sort((a, b) => b.time - a.time);

  const auth0 = createAuth0Factory(org, new Random(seed, "hostile-auth0"));
  const events: Auth0LogEvent[] = [];
  const added: { event: Auth0LogEvent; what: string }[] = [];
  const ctx = { ip: person.officeIp, userAgent: person.browser.parsed, isMobile: false };
  const push = (event: Auth0LogEvent, what: string): void => {
    events.push(event);
    added.push({ event, what });
  };
  let e = loginEvent(auth0, timeAt(), person, { ...ctx, ip: "xx.xxx.xxx.xx" });
  delete e.location_info;
  push(e, "masked address");
  e = failedLoginEvent(auth0, timeAt(), "fu", null, ctx, `<script>alert(1)</script>@example.co.jp`);
  push(e, "script tag in the user name");
  e = loginEvent(auth0, timeAt(), person, ctx);
  e.client_id = null;
  e.client_name = "";
  push(e, "client_id null");
  e = clientCredentialsEvent(auth0, timeAt(), org.integration.auth0Client, { ip: org.integration.ip, userAgent: "Go-http-client/2.0", isMobile: false }, true);
  push(e, "scope as an array");
  e = loginEvent(auth0, timeAt(), person, { ...ctx, ip: "2001:db8:85a3::8a2e:370:7334", userAgent: person.browser.raw });
  e.description = "line one\nline two, \"quoted\"";
  push(e, "IPv6 address, raw user agent, newline and quotes in the description");
  e = failedLoginEvent(auth0, timeAt(), "fp", person, ctx, `"quoted", user\nname`);
  push(e, "quotes, a comma and a newline in the user name");

  const finalized = mergeAuth0Events(auth0Events, events, new Random(seed, "hostile-ids"));
  for (const { event, what } of added) hostile.push({ source: "auth0", externalId: event.log_id, key: labelKeyForAuth0(event), what });
  return { consoleRows: rows, auth0Events: finalized, hostile };
}
