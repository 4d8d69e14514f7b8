/**
 * The seed of a test's random choices, such as where a crash test kills kansa. Each run draws a
 * new seed, so runs explore different kill points; KANSA_TEST_SEED=<n> repeats a run's choices.
 * The seed is printed with each seeded test (a diagnostic, shown beside a failure) together with
 * the command that repeats it.
 */
import { randomInt } from "node:crypto";
import { relative } from "node:path";
import type { TestContext } from "node:test";
import { Random } from "../../src/tools/generator/random.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

function runSeed(): number {
  const given = process.env.KANSA_TEST_SEED;
  if (given === undefined || given === "") return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`KANSA_TEST_SEED must be a non-negative integer, got "${given}".`);
  return seed;
}

/** One seed for the whole test file, so that KANSA_TEST_SEED repeats every seeded test in it. */
const SEED = runSeed();

/**
 * A random stream for the test `t` of the file at `file` (pass `import.meta.filename`), forked
 * from the run's seed by the test's name. Returns it with `seed`, a short text to put in
 * assertion messages ("seed 123"); the seed and the command that repeats the test are printed as
 * a diagnostic of `t`.
 */
export function seededRandom(t: TestContext, file: string): { random: Random; seed: string } {
  const pattern = t.name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  t.diagnostic(`seed ${SEED}; to repeat: KANSA_TEST_SEED=${SEED} node scripts/run-tests.mjs --test-name-pattern='${pattern.replaceAll("'", "'\\''")}' ${relative(ROOT, file)}`);
  return { random: new Random(SEED, t.name), seed: `seed ${SEED}` };
}
