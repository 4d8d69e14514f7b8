/**
 * Shrinkage of a correlation matrix towards the identity (OAS: Chen, Wiesel, Eldar & Hero 2010,
 * computed as scikit-learn's `oas` does from the empirical matrix and the sample count), so that a
 * baseline's estimate stays well conditioned and a feature nearly constant in the baseline is not
 * treated as perfectly predictable from the others. Σ is shrunk towards μ·I with μ = tr(Σ)/p; on
 * a correlation matrix (unit diagonal) μ = 1 and the target is the identity. OAS needs only the
 * matrix and n, so a stored baseline (mean, covariance, n) rebuilds the same shrunk detector;
 * Ledoit–Wolf would need the rows themselves, which a stored baseline no longer has.
 */

/** The OAS shrinkage intensity (0..1) for a p × p matrix `s` estimated from `n` samples. */
export function oasShrinkage(s: Float64Array, p: number, n: number): number {
  if (p === 0 || n < 2) return 0;
  let trace = 0;
  let squares = 0;
  for (let a = 0; a < p; a++) trace += s[a * p + a]!;
  for (let i = 0; i < p * p; i++) squares += s[i]! * s[i]!;
  const mu = trace / p;
  const alpha = squares / (p * p);
  const num = alpha + mu * mu;
  const den = (n + 1) * (alpha - (mu * mu) / p);
  return den <= 0 ? 1 : Math.min(num / den, 1);
}

/** Σ ← (1 − ρ)·Σ + ρ·μ·I in place, μ = tr(Σ)/p. */
export function shrinkInPlace(s: Float64Array, p: number, rho: number): void {
  if (rho <= 0) return;
  let trace = 0;
  for (let a = 0; a < p; a++) trace += s[a * p + a]!;
  const mu = trace / p;
  for (let i = 0; i < p * p; i++) s[i]! *= 1 - rho;
  for (let a = 0; a < p; a++) s[a * p + a]! += rho * mu;
}
