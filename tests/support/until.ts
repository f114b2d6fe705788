/**
 * Waits (bounded: about 15 s) until `check` holds; for state outside the code under test, e.g.
 * what a fake received or what a store holds.
 *
 * @example
 * await until(() => fake.sent(5).length === 1, 'the reply');
 */
export async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
