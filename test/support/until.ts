// Waiting for what runs on its own time (the worker writes views and tasks, workflows move on):
// read again until a condition holds, and fail with the last value read when it does not.

/** `read` again every 200 ms until `ready` holds; after `ms` (30 s) it throws with the last value. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  ready: (value: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached in ${ms / 1000} s (last: ${JSON.stringify(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
