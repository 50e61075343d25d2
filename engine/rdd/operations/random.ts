/** A seeded generator of numbers in [0, 1) (mulberry32), one stream per (seed, partition). */
export function randomGenerator(seed: number, partition: number): () => number {
  let state = (Math.imul(Math.trunc(seed) | 0, 0x9e3779b1) ^ Math.imul(partition + 1, 0x85ebca6b)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson(mean) draw (Knuth's method, in slices of mean 30 so exp() does not underflow). */
export function poisson(random: () => number, mean: number): number {
  let total = 0;
  let rest = mean;
  while (rest > 0) {
    const lambda = Math.min(rest, 30);
    rest -= lambda;
    const limit = Math.exp(-lambda);
    let p = random();
    while (p > limit) {
      total++;
      p *= random();
    }
  }
  return total;
}
