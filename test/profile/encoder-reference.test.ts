/**
 * Every registered feature set's outputs on a fixed small organisation (reference-month.ts)
 * against a stored run of the encoder and detector as they were before the profile encoder was
 * rewritten for reading (issue 22): the fitted state exactly, the encoded baseline's moments,
 * each scored event's vector and distance to 1e-9 relative.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { referenceOutputs, type ReferenceOutputs } from "./reference-month.ts";

const stored = JSON.parse(readFileSync(new URL("./fixtures/encoder-reference.json", import.meta.url), "utf8")) as { outputs: Record<string, ReferenceOutputs> };

function assertClose(got: readonly number[], want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(Math.abs(got[i]!), Math.abs(want[i]!));
    assert.ok(got[i] === want[i] || Math.abs(got[i]! - want[i]!) <= 1e-9 * scale, `${what}[${i}]: ${got[i]} instead of ${want[i]}`);
  }
}

test("each feature set encodes and scores the reference month as the stored run did", () => {
  const now = referenceOutputs();
  assert.deepEqual(Object.keys(now).sort(), Object.keys(stored.outputs).sort());
  for (const [name, want] of Object.entries(stored.outputs)) {
    const got = now[name]!;
    assert.equal(got.state, want.state, `${name}: the saved state`);
    assert.deepEqual(got.nonzero, want.nonzero, `${name}: nonzero entries of the encoded baseline`);
    assertClose(got.mean, want.mean, `${name} baseline mean`);
    assertClose(got.covariance, want.covariance, `${name} baseline covariance`);
    want.days.forEach((day, k) => {
      assertClose(got.days[k]!.vectors, day.vectors, `${name} day ${k} vectors`);
      assertClose(got.days[k]!.distances, day.distances, `${name} day ${k} distances`);
    });
  }
});
