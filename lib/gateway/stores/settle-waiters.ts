/**
 * Requests of a key that found its budget held by others wait here for one of them to
 * settle (or for a timeout), instead of polling the database.
 */
export interface SettleWaiters {
  wait(keyId: string, ms: number): Promise<void>;
  wake(keyId: string): void;
}

export function settleWaiters(): SettleWaiters {
  const waiters = new Map<string, Set<() => void>>();
  return {
    wait(keyId, ms) {
      return new Promise((resolve) => {
        const set = waiters.get(keyId) ?? new Set();
        waiters.set(keyId, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          if (set.size === 0 && waiters.get(keyId) === set) waiters.delete(keyId);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
      });
    },
    wake(keyId) {
      const set = waiters.get(keyId);
      if (!set) return;
      waiters.delete(keyId);
      for (const resolve of set) resolve();
    },
  };
}
