import type { Backend } from '../../../src/store/backend';

/**
 * A fresh backend for every test of the enclosing `describe`, closed after it. Returns a stand-in
 * that always forwards to the current test's backend, so suites write `backend.cases.get(…)`.
 *
 * @example
 * describe('x', () => {
 *   const backend = freshBackend(factory);
 *   test('…', async () => expect(await backend.cases.get('ADU-000000')).toBeNull());
 * });
 */
export function freshBackend(factory: () => Promise<Backend>): Backend {
  let current: Backend | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    await current?.close();
  });
  return new Proxy({} as Backend, {
    get(_target, prop) {
      if (!current) throw new Error('the backend exists only inside a test');
      const value: unknown = Reflect.get(current, prop, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
    set(_target, prop, value) {
      if (!current) throw new Error('the backend exists only inside a test');
      return Reflect.set(current, prop, value, current);
    },
  });
}
