import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, childEnv, kansa, withStore } from "../schedule/helpers.ts";
import { openDatabase } from "../../src/store/database.ts";
import { seededRandom } from "../helpers/seed.ts";

// Issue 21, point 7: a full disk, or another program than kansa in the embedded database's folder,
// is an immediate error that names the folder and what to do, and leaves the database openable.
// Before: a nearly full disk hung `kansa import` at 100% CPU with no output (PostgreSQL inside
// PGlite PANICked and PGlite never answered again), and kansa opened a folder that another
// program had open (it honoured only its own lock file), which corrupts it.

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "kansa-faults-"));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An NDJSON file of `n` Auth0 login events with log ids from `first`. */
async function auth0File(path: string, n: number, first: number): Promise<string> {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) {
    const logId = String(90020261101080000000000000000000000000000000000n + BigInt(first + i)).padStart(56, "0");
    const event = { date: new Date(Date.UTC(2026, 10, 1) + (first + i) * 1000).toISOString(), type: "s", log_id: logId, user_name: `user${i % 500}@example.com`, hostname: "faults.auth0.com", ip: `203.0.113.${i % 250}`, description: `Success Login ${i}` };
    if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return path;
}

async function storedEvents(dataDir: string): Promise<number> {
  return withStore({ dataDir }, async (db) => {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent"`);
    return row!.n;
  });
}

/** Fill the filesystem of `mountPoint` with `filler` until `leaveMb` MB are free. */
function fillTo(mountPoint: string, filler: string, leaveMb: number): void {
  rmSync(filler, { force: true });
  const s = statfsSync(mountPoint);
  const kb = Math.floor((s.bavail * s.bsize) / 1024) - leaveMb * 1024;
  if (kb > 0) assert.equal(spawnSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=1k", `count=${kb}`, "status=none"]).status, 0);
}

describe("a full disk", () => {
  let mountPoint = "";
  let mounted = false;
  let skip: string | false = false;
  before(() => {
    mountPoint = join(dir, "disk");
    mkdirSync(mountPoint);
    const result = spawnSync("mount", ["-t", "tmpfs", "-o", "size=160m", "tmpfs", mountPoint], { encoding: "utf8" });
    mounted = result.status === 0;
    if (!mounted) skip = `mounting a small tmpfs needs root, which this run does not have (${(result.stderr || result.error?.message || "").trim()})`;
  });
  after(() => {
    if (mounted) spawnSync("umount", ["-l", mountPoint]);
  });

  test("stops `kansa import` at once with a sentence naming the folder and what to do; the database holds what it held and opens again", async (t) => {
    if (skip) return t.skip(skip);
    const dataDir = join(mountPoint, "data");
    const folder = join(dataDir, "pglite");
    const env = childEnv({ KANSA_DATA_DIR: dataDir, LOG_LEVEL: "error" });
    const seeded = await kansa(["import", await auth0File(join(dir, "seed.ndjson"), 50, 0)], env);
    assert.equal(seeded.code, 0, seeded.stderr);
    // Enough events to fill the disk many times over (about 47 MB of NDJSON).
    const big = await auth0File(join(dir, "big.ndjson"), 200_000, 1_000);
    const filler = join(mountPoint, "filler");

    // 40 MB free: the database opens, and the first batch is refused before it is written.
    // 12 MB free: too little to open at all (before: a hang at 100% CPU, then "Aborted()").
    for (const leaveMb of [40, 12]) {
      fillTo(mountPoint, filler, leaveMb);
      const started = Date.now();
      const result = await kansa(["import", big], env, (child) => setTimeout(() => child.kill("SIGKILL"), 120_000).unref());
      const seconds = (Date.now() - started) / 1000;
      t.diagnostic(`${leaveMb} MB free: exit ${result.code} after ${seconds.toFixed(1)} s: ${result.stderr.trim()}`);
      assert.equal(result.signal, null, `kansa import hung with ${leaveMb} MB free (killed after 120 s)`);
      assert.equal(result.code, 1, result.stderr);
      assert.ok(seconds < 30, `the error took ${seconds} s`);
      assert.ok(result.stderr.includes(folder), result.stderr);
      assert.match(result.stderr, /disk space|disk holding/);
      assert.match(result.stderr, /Free space on that disk/);
      assert.match(result.stderr, /\[E_DISK_FULL\]/);
    }

    // Room again: the database opens and holds the 50 events it held; an import works.
    rmSync(filler);
    assert.equal(await storedEvents(dataDir), 50);
    const small = await kansa(["import", await auth0File(join(dir, "after.ndjson"), 20, 500_000)], env);
    assert.equal(small.code, 0, small.stderr);
    assert.equal(await storedEvents(dataDir), 70);
  });
});

/**
 * A program of the user's own: PGlite on the embedded database's folder, open until `close()`
 * (which returns what it printed). Resolves once it has the folder open, with the number of
 * events it found there ("none" when the folder holds no kansa database).
 */
async function openElsewhere(folder: string): Promise<{ pid: number; seen: string; close: () => Promise<string> }> {
  const script = `
    import { PGlite } from "@electric-sql/pglite";
    const db = await PGlite.create(process.argv[1]);
    let seen = "none";
    try {
      seen = String((await db.query('SELECT count(*)::int AS n FROM "AuditEvent"')).rows[0].n);
    } catch {}
    process.stdout.write("ready " + seen + "\\n");
    process.stdin.resume();
    process.stdin.on("end", async () => { await db.close(); process.stdout.write("closed\\n"); });
  `;
  const other = spawn(process.execPath, ["--input-type=module", "-e", script, folder], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  let said = "";
  other.stdout.on("data", (d: Buffer) => (said += d.toString()));
  const close = async (): Promise<string> => {
    other.stdin.end();
    if (other.exitCode === null && other.signalCode === null) await once(other, "exit");
    return said;
  };
  while (!/ready \S+\n/.test(said)) {
    if (other.exitCode !== null) throw new Error("the other program ended before opening the folder");
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: other.pid!, seen: /ready (\S+)/.exec(said)![1]!, close };
}

describe("another program in the folder", () => {
  test("`kansa import` refuses at once, naming the folder and the program's pid; after it closes, the database opens and imports", async () => {
    const dataDir = join(dir, "shared");
    const folder = join(dataDir, "pglite");
    const env = childEnv({ KANSA_DATA_DIR: dataDir, LOG_LEVEL: "error" });
    const seeded = await kansa(["import", await auth0File(join(dir, "seed2.ndjson"), 30, 0)], env);
    assert.equal(seeded.code, 0, seeded.stderr);

    const other = await openElsewhere(folder);
    assert.equal(other.seen, "30", "the other program did not find the database at rest in its folder");
    try {
      const started = Date.now();
      const refused = await kansa(["import", await auth0File(join(dir, "more.ndjson"), 10, 100)], env);
      const seconds = (Date.now() - started) / 1000;
      assert.equal(refused.code, 1, `kansa opened a folder another program has open:\n${refused.stdout}${refused.stderr}`);
      assert.ok(seconds < 20, `the refusal took ${seconds} s`);
      assert.ok(refused.stderr.includes(folder), refused.stderr);
      assert.ok(refused.stderr.includes(`process ${other.pid}`), refused.stderr);
      assert.match(refused.stderr, /another program than kansa.*Close that program/s);
      assert.match(refused.stderr, /\[E_FOLDER_IN_USE\]/);
    } finally {
      assert.match(await other.close(), /closed/);
    }
    const imported = await kansa(["import", join(dir, "more.ndjson")], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(await storedEvents(dataDir), 40);
  });

  // Before: kansa noticed the program within seconds and stopped, but the program had run crash
  // recovery on the folder kansa was writing, and its close() checkpointed that older view over
  // kansa's later writes: under load the folder was then unopenable (Aborted()). Now the database
  // is out of its reach while kansa has it open (under another name), so the program finds no
  // database, kansa finishes, and nothing is lost.
  test("a program that opens the folder while `kansa import` writes finds no database there; kansa finishes, says what it did with the program's folder, and loses nothing", async () => {
    const dataDir = join(dir, "intruded");
    const folder = join(dataDir, "pglite");
    const env = childEnv({ KANSA_DATA_DIR: dataDir });
    const seeded = await kansa(["import", await auth0File(join(dir, "seed3.ndjson"), 30, 0)], env);
    assert.equal(seeded.code, 0, seeded.stderr);
    // About 50 s of writing on this machine: the other program opens the folder during it.
    const big = await auth0File(join(dir, "long.ndjson"), 400_000, 1_000);
    let finished = false;
    const running = kansa(["import", big], env, (child) => setTimeout(() => child.kill("SIGKILL"), 300_000).unref()).finally(() => (finished = true));
    await new Promise((r) => setTimeout(r, 10_000));
    const other = await openElsewhere(folder);
    assert.equal(finished, false, "kansa had finished before the other program opened the folder: the test did not test the case");
    assert.equal(other.seen, "none", "the other program found kansa's database while kansa was writing it");
    let result: Awaited<typeof running>;
    try {
      result = await running;
    } finally {
      assert.match(await other.close(), /closed/);
    }
    assert.equal(result.code, 0, result.stderr);
    // The program still had its own folder open when kansa closed: kansa left its database under
    // the other name and said so.
    assert.ok(result.stderr.includes(`Another program (process ${other.pid}) created ${folder}`), result.stderr);
    assert.ok(result.stderr.includes(`${folder}.in-use-by-kansa`), result.stderr);

    // The next opening (the program has closed) sets the program's folder aside and takes the database back.
    const warnings: string[] = [];
    const db = await openDatabase({ dataDir, warn: (message) => warnings.push(message) });
    try {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AuditEvent"`);
      assert.equal(row!.n, 400_030);
    } finally {
      await db.close();
    }
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0]!, /another program made it while kansa had the database\. kansa moved it to .*pglite\.set-aside-/);
    const names = readdirSync(dataDir).sort();
    assert.ok(names.includes("pglite") && !names.includes("pglite.in-use-by-kansa"), names.join(", "));
    assert.equal(names.filter((name) => name.startsWith("pglite.set-aside-")).length, 1, names.join(", "));

    const after = await kansa(["import", await auth0File(join(dir, "after3.ndjson"), 10, 900_000)], env);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(await storedEvents(dataDir), 400_040);
  });
});

describe("a kansa killed while it had the database open", () => {
  test("leaves the database under its in-use name; the next command takes it back, and the import run again stores every event once", async (t) => {
    const { random, seed } = seededRandom(t, import.meta.filename);
    const delay = random.int(500, 3_000);
    const when = `${seed}: killed ${delay} ms after it opened the database`;
    const dataDir = join(dir, "killed");
    const env = childEnv({ KANSA_DATA_DIR: dataDir });
    const seeded = await kansa(["import", await auth0File(join(dir, "seed4.ndjson"), 30, 0)], env);
    assert.equal(seeded.code, 0, seeded.stderr);
    const big = await auth0File(join(dir, "killed.ndjson"), 200_000, 1_000);
    // Killed `delay` ms (from the seed) after it has opened the database (once the folder has its in-use name).
    const killWhenOpen = (child: ChildProcess): void => {
      const poll = setInterval(() => {
        if (!existsSync(join(dataDir, "pglite.in-use-by-kansa"))) return;
        clearInterval(poll);
        setTimeout(() => child.kill("SIGKILL"), delay);
      }, 100);
      child.on("exit", () => clearInterval(poll));
    };
    const killed = await kansa(["import", big], env, killWhenOpen);
    assert.equal(killed.signal, "SIGKILL", `${when}: the import ended before it was killed: ${killed.stderr}`);
    assert.deepEqual(readdirSync(dataDir).filter((name) => name.startsWith("pglite")), ["pglite.in-use-by-kansa"], when);

    const again = await kansa(["import", big], env);
    assert.equal(again.code, 0, `${when}: ${again.stderr}`);
    assert.doesNotMatch(again.stderr, /set-aside|Another program/, when);
    assert.deepEqual(readdirSync(dataDir).filter((name) => name.startsWith("pglite")), ["pglite"], when);
    assert.equal(await storedEvents(dataDir), 200_030, when);
  });
});
