/**
 * The generated organisation: people with their departments, working hours, addresses, browsers
 * and apps, plus the admins, the heavy exporters, the nightly integration and the Auth0 tenant's
 * clients and connections. Everything else the generator makes is drawn from this model.
 */
import { APPS, BROWSERS, COMMON_APPS, DEPARTMENTS, GIVEN_NAMES, HOME_PREFIXES, MOBILE_BROWSERS, SURNAMES, type BrowserProfile } from "./catalog.ts";
import { Random, apportion } from "./random.ts";

export type { BrowserProfile } from "./catalog.ts";

/** How a person's working day is shaped. */
export type WorkPattern = "early" | "regular" | "late" | "shift";

/** What a person does beyond ordinary record work. */
export type PersonRole = "staff" | "admin" | "exporter";

export interface KintoneApp {
  id: number;
  name: string;
}

export interface Office {
  name: string;
  /** The office's /24, e.g. `203.0.113.0/24`. */
  cidr: string;
  /** The NAT addresses the office's traffic leaves from. */
  egress: string[];
}

export interface Person {
  /** 0-based position in `Organisation.people`. */
  index: number;
  /** The console login name: mostly `t.yamada@example.co.jp`, some plain ids such as `k-suzuki`. */
  login: string;
  /** E-mail address; Auth0's `user_name`. */
  email: string;
  /** Name in Japanese, e.g. `山田 太郎`. */
  displayName: string;
  department: string;
  role: PersonRole;
  pattern: WorkPattern;
  /**
   * Usual first activity, minutes after local midnight. Night-shift workers start late in the
   * evening and `endMinute` runs past 1440 (into the next morning).
   */
  startMinute: number;
  endMinute: number;
  /** Probability of working on a day off (weekend or holiday); shift workers work most days. */
  dayOffWork: number;
  /** Relative amount of activity compared with colleagues. */
  activity: number;
  office: Office;
  /** The office egress address this person's traffic usually leaves from. */
  officeIp: string;
  /** The VPN exit this person's laptop uses when away. */
  vpnIp: string;
  /** Home broadband address (for those who sometimes work from home without the VPN), else null. */
  homeIp: string | null;
  /** An IPv6 address some of their traffic comes from, else null. */
  ipv6: string | null;
  /**
   * Share of days they work away from the office (VPN, home broadband, IPv6): hybrid workers do
   * so regularly, everyone else (admins and shift workers included) is always in the office.
   */
  awayShare: number;
  browser: BrowserProfile;
  /** A phone browser they occasionally use, else null. */
  mobile: BrowserProfile | null;
  /** The carrier addresses their phone shows up from (empty without a phone browser). */
  mobileIps: string[];
  /** The mistyped login they sometimes enter at the Auth0 login page, else null. */
  typo: string | null;
  /** App ids this person works in, and the relative weight of each. */
  apps: number[];
  appWeights: number[];
  /** Auth0 `user_id` (`auth0|…` or `google-oauth2|…`). */
  auth0UserId: string;
  /** Index into `Organisation.auth0Connections`. */
  auth0Connection: number;
  /** Uses Guardian MFA (produces `gd_*` events). */
  mfa: boolean;
}

/** The nightly API integration: one service account, one server, 01:00–03:00 every night. */
export interface Integration {
  login: string;
  ip: string;
  userAgent: string;
  apps: number[];
  startMinute: number;
  endMinute: number;
  /** Index into `Organisation.auth0Clients` of its machine-to-machine client. */
  auth0Client: number;
}

export interface Auth0Client {
  id: string;
  name: string;
  kind: "spa" | "regular" | "m2m" | "native";
}

export interface Auth0Connection {
  id: string;
  name: string;
  strategy: string;
  strategyType: string;
}

export interface Organisation {
  seed: number;
  /** IANA zone of the console's times and of everyone's working hours. */
  timezone: string;
  consoleHost: string;
  auth0Tenant: string;
  auth0Domain: string;
  /** The AWS account the Auth0 partner event source delivers to. */
  awsAccount: string;
  awsRegion: string;
  /** The partner event source name's unique suffix. */
  eventSourceId: string;
  offices: Office[];
  vpnExits: string[];
  people: Person[];
  integration: Integration;
  apps: KintoneApp[];
  auth0Clients: Auth0Client[];
  auth0Connections: Auth0Connection[];
}

export interface OrganisationOptions {
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Number of people (default 80; at least 8). */
  people?: number;
  /** IANA zone of the tenant (default `Asia/Tokyo`). */
  timezone?: string;
  /** Console host (default `example.cybozu.com`). */
  consoleHost?: string;
  /** Auth0 tenant name (default `example-corp`); the domain is `<tenant>.jp.auth0.com`. */
  auth0Tenant?: string;
  /** Number of admins (default 3). */
  admins?: number;
  /** Number of heavy exporters (default 4). */
  exporters?: number;
  /** Number of night-shift workers (default 3). */
  shiftWorkers?: number;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function pickBrowser(random: Random, list: readonly { weight: number; make: (v: number) => BrowserProfile }[]): BrowserProfile {
  const entry = random.weighted(list, list.map((b) => b.weight));
  return entry.make(random.next());
}

/** Builds the organisation for a seed; the same options always give the same organisation. */
export function buildOrganisation(options: OrganisationOptions = {}): Organisation {
  const seed = options.seed ?? 1;
  const count = Math.max(8, Math.floor(options.people ?? 80));
  const random = new Random(seed, "organisation");
  const auth0Tenant = options.auth0Tenant ?? "example-corp";

  const offices: Office[] = [
    { name: "東京本社", cidr: "203.0.113.0/24", egress: ["203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13"] },
    { name: "大阪支社", cidr: "198.51.100.0/24", egress: ["198.51.100.20", "198.51.100.21"] },
  ];
  const vpnExits = ["192.0.2.50", "192.0.2.51", "192.0.2.52"];

  const auth0Connections: Auth0Connection[] = [
    { id: `con_${random.chars(ALNUM, 16)}`, name: "Username-Password-Authentication", strategy: "auth0", strategyType: "database" },
    { id: `con_${random.chars(ALNUM, 16)}`, name: "google-oauth2", strategy: "google-oauth2", strategyType: "social" },
  ];
  const auth0Clients: Auth0Client[] = [
    { id: random.chars(ALNUM, 32), name: "社内ポータル", kind: "spa" },
    { id: random.chars(ALNUM, 32), name: "kintone SSO", kind: "regular" },
    { id: random.chars(ALNUM, 32), name: "Expense Mobile", kind: "native" },
    { id: random.chars(ALNUM, 32), name: "HR Sync (M2M)", kind: "m2m" },
    { id: random.chars(ALNUM, 32), name: "Admin Console", kind: "regular" },
  ];

  // Department of each person, apportioned by department weight.
  const sizes = apportion(count, DEPARTMENTS.map((d) => d.weight));
  const departmentOf: number[] = [];
  sizes.forEach((n, d) => {
    for (let i = 0; i < n; i++) departmentOf.push(d);
  });

  const usedLogins = new Set<string>();
  const usedNames = new Set<string>();
  const people: Person[] = [];
  for (let index = 0; index < count; index++) {
    const dept = DEPARTMENTS[departmentOf[index] ?? 0] ?? DEPARTMENTS[0]!;
    let surname = random.pick(SURNAMES);
    let given = random.pick(GIVEN_NAMES);
    for (let tries = 0; usedNames.has(`${surname[0]}.${given[0]}`) && tries < 20; tries++) {
      surname = random.pick(SURNAMES);
      given = random.pick(GIVEN_NAMES);
    }
    usedNames.add(`${surname[0]}.${given[0]}`);
    let emailLocal = `${given[0][0]}.${surname[0]}`;
    for (let n = 2; usedLogins.has(`${emailLocal}@example.co.jp`); n++) emailLocal = `${given[0][0]}.${surname[0]}${n}`;
    const email = `${emailLocal}@example.co.jp`;
    usedLogins.add(email);
    let login = email;
    if (random.chance(0.2)) {
      // Some tenants give plain ids: "k-suzuki" or an employee number.
      login = random.chance(0.5) ? `${given[0][0]}-${surname[0]}` : `e${random.digits(5)}`;
      while (usedLogins.has(login)) login = `e${random.digits(5)}`;
      usedLogins.add(login);
    }

    const office = random.chance(0.7) ? offices[0]! : offices[1]!;
    const ownApps = new Set<number>([...dept.apps.filter(() => random.chance(0.85)), ...COMMON_APPS.filter(() => random.chance(0.8))]);
    if (ownApps.size === 0) ownApps.add(23);
    if (random.chance(0.3)) ownApps.add(random.pick(APPS).id);
    const apps = [...ownApps].sort((a, b) => a - b);
    const appWeights = apps.map((id) => (dept.apps.includes(id) ? 3 + random.next() * 5 : id === 23 ? 2 : 0.5 + random.next()));

    const google = random.chance(0.15);
    people.push({
      index,
      login,
      email,
      displayName: `${surname[1]} ${given[1]}`,
      department: dept.name,
      role: "staff",
      pattern: "regular",
      startMinute: 0,
      endMinute: 0,
      dayOffWork: 0.03,
      activity: Math.exp(random.normal(0, 0.5)),
      office,
      officeIp: random.pick(office.egress),
      vpnIp: random.pick(vpnExits),
      homeIp: random.chance(0.35) ? `${random.pick(HOME_PREFIXES)}.${random.int(0, 255)}.${random.int(1, 254)}` : null,
      ipv6: random.chance(0.12) ? `2001:db8:${office === offices[0] ? "a" : "b"}${random.int(0, 15).toString(16)}:${random.hex(4).replace(/^0+/, "") || "1"}::${random.hex(3).replace(/^0+/, "") || "1"}` : null,
      awayShare: random.chance(0.3) ? 0.3 + random.next() * 0.3 : 0,
      browser: pickBrowser(random, BROWSERS),
      mobile: null,
      mobileIps: [],
      typo: null,
      apps,
      appWeights,
      auth0UserId: google ? `google-oauth2|1${random.digits(20)}` : `auth0|${random.hex(24)}`,
      auth0Connection: google ? 1 : 0,
      mfa: random.chance(0.3),
    });
  }

  // Phones (a couple of carrier addresses each) and habitual typos, drawn after the people so
  // that adding them did not change anyone's other traits.
  for (const p of people) {
    if (random.chance(0.25)) {
      p.mobile = pickBrowser(random, MOBILE_BROWSERS);
      const prefix = random.pick(["126.254", "49.96", "1.75", "182.251"]);
      p.mobileIps = [`${prefix}.${random.int(0, 255)}.${random.int(1, 254)}`, `${prefix}.${random.int(0, 255)}.${random.int(1, 254)}`];
    }
    if (random.chance(0.15)) {
      const [local, domain] = p.email.split("@") as [string, string];
      const at = Math.min(local.length - 1, 2 + random.int(0, 2));
      p.typo = `${local.slice(0, at)}${local[at]}${local.slice(at)}@${domain}`;
    }
  }

  // Working hours: mostly regular, some early birds and late workers.
  for (const p of people) {
    const r = random.next();
    if (r < 0.2) {
      p.pattern = "early";
      p.startMinute = 7 * 60 + random.int(0, 50);
      p.endMinute = p.startMinute + 8 * 60 + random.int(30, 90);
    } else if (r < 0.35) {
      p.pattern = "late";
      p.startMinute = 10 * 60 + 30 + random.int(0, 60);
      p.endMinute = p.startMinute + 9 * 60 + random.int(0, 120);
    } else {
      p.startMinute = 8 * 60 + 30 + random.int(0, 50);
      p.endMinute = p.startMinute + 8 * 60 + 30 + random.int(0, 90);
    }
  }

  // Roles: admins in IT, heavy exporters in accounting/sales, night-shift support staff.
  const adminCount = Math.min(options.admins ?? 3, Math.floor(count / 4));
  const exporterCount = Math.min(options.exporters ?? 4, Math.floor(count / 4));
  const shiftCount = Math.min(options.shiftWorkers ?? 3, Math.floor(count / 8));
  const byDeptPreference = (names: string[]): Person[] => {
    const preferred = people.filter((p) => p.role === "staff" && p.pattern !== "shift" && names.includes(p.department));
    const rest = people.filter((p) => p.role === "staff" && p.pattern !== "shift" && !names.includes(p.department));
    return [...preferred, ...rest];
  };
  for (const p of byDeptPreference(["情報システム部", "総務部"]).slice(0, adminCount)) {
    p.role = "admin";
    p.pattern = "regular";
    p.startMinute = 8 * 60 + 45 + random.int(0, 30);
    p.endMinute = p.startMinute + 9 * 60;
    p.awayShare = 0;
  }
  for (const p of byDeptPreference(["経理部", "営業部", "経営企画室"]).slice(0, exporterCount)) {
    p.role = "exporter";
  }
  for (const p of byDeptPreference(["カスタマーサポート"]).slice(0, shiftCount)) {
    p.pattern = "shift";
    p.startMinute = 21 * 60 + random.int(0, 60);
    p.endMinute = p.startMinute + 9 * 60;
    p.dayOffWork = 0.55;
    p.awayShare = 0;
  }

  const integrationApps = [12, 15, 41].filter((id) => APPS.some((a) => a.id === id));
  return {
    seed,
    timezone: options.timezone ?? "Asia/Tokyo",
    consoleHost: options.consoleHost ?? "example.cybozu.com",
    auth0Tenant,
    auth0Domain: `${auth0Tenant}.jp.auth0.com`,
    awsAccount: random.digits(12),
    awsRegion: "ap-northeast-1",
    eventSourceId: random.uuid(),
    offices,
    vpnExits,
    people,
    integration: {
      login: "api-sync",
      ip: "198.18.10.25",
      userAgent: "kintone-sync/3.2.1 (Java/21.0.4)",
      apps: integrationApps,
      startMinute: 60,
      endMinute: 180,
      auth0Client: 3,
    },
    apps: APPS.map((a) => ({ ...a })),
    auth0Clients,
    auth0Connections,
  };
}

/** The app with this id, or undefined. */
export function appById(org: Organisation, id: number): KintoneApp | undefined {
  return org.apps.find((a) => a.id === id);
}
