/**
 * Small dense symmetric linear algebra on row-major Float64Arrays: Cholesky factorisation and
 * a Jacobi eigen-decomposition (for the pseudo-inverse fallback). Dimensions here are the
 * feature count (5 to a few dozen), so clarity beats blocking.
 */

/**
 * Lower-triangular L with A = L Lᵀ (row-major k × k), or null when A is not positive definite
 * within `minPivot` (a pivot ≤ minPivot × the largest diagonal entry counts as zero).
 */
export function cholesky(a: Float64Array, k: number, minPivot: number): Float64Array | null {
  const l = new Float64Array(k * k);
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, a[i * k + i]!);
  if (!(maxDiag > 0)) return null;
  const floor = minPivot * maxDiag;
  for (let j = 0; j < k; j++) {
    let sum = a[j * k + j]!;
    for (let p = 0; p < j; p++) sum -= l[j * k + p]! * l[j * k + p]!;
    if (!(sum > floor)) return null;
    const diag = Math.sqrt(sum);
    l[j * k + j] = diag;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      l[i * k + j] = s / diag;
    }
  }
  return l;
}

export interface Eigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Row-major k × k; column c is the unit eigenvector of values[c]. */
  vectors: Float64Array;
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (accurate to rounding). */
export function symmetricEigen(input: Float64Array, k: number): Eigen {
  const a = Float64Array.from(input);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < k; i++) {
      scale += a[i * k + i]! * a[i * k + i]!;
      for (let j = i + 1; j < k; j++) off += a[i * k + j]! * a[i * k + j]!;
    }
    if (off <= 1e-32 * scale || off === 0) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]!;
        if (apq === 0) continue;
        const app = a[p * k + p]!;
        const aqq = a[q * k + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]!;
          const arq = a[r * k + q]!;
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]!;
          const aqr = a[q * k + r]!;
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]!;
          const vrq = v[r * k + q]!;
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => a[y * k + y]! - a[x * k + x]!);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = a[src * k + src]!;
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src]!;
  });
  return { values, vectors };
}
