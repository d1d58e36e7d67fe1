/**
 * Tests against a real Redis (REDIS_URL) keep their keys under a prefix of their own, so test
 * files running at once, and other users of that Redis, never meet; the keys go afterwards.
 */
import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';

export function testKeyPrefix(): string {
  return `mcp-test:${randomUUID()}`;
}

/** Deletes every key under `prefix`. */
export async function deleteTestKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}
