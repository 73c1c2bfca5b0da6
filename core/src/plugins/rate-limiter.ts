/** A token bucket per key: `capacity` calls at once, refilled at `perSecond`. */
export interface TokenBuckets {
  /** Takes one token; false when the bucket is empty. */
  take(key: string): boolean;
}

export function createTokenBuckets(options: { capacity: number; perSecond: number; now?: () => number }): TokenBuckets {
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: options.capacity, at: time };
      bucket.tokens = Math.min(options.capacity, bucket.tokens + ((time - bucket.at) / 1000) * options.perSecond);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
