import { CodedError } from '../../errors';

/** Longest string used as a key in a MongoDB filter (tracking ids, message ids, keys…). */
export const MAX_FILTER_STRING = 1024;

/**
 * A value put into a MongoDB filter: a plain string, never an object, an array or a string that
 * MongoDB could read as an operator or a field path. Request data reaches filters only through
 * this (and the connection runs with `sanitizeFilter`, which would strip `$` keys anyway), so
 * `{"$gt": ""}` as a tracking id is a `bad_request` before any query is built.
 *
 * @example
 * filterString(req.params.trackingId, 'tracking id') // 'ADU-7K3M9Q'
 * filterString({ $gt: '' }, 'tracking id')          // throws CodedError bad_request
 */
export function filterString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new CodedError('bad_request', `${what} must be a string, not ${describe(value)}`);
  }
  if (value.startsWith('$')) {
    throw new CodedError('bad_request', `${what} must not start with "$"`);
  }
  if (value.includes('\u0000')) throw new CodedError('bad_request', `${what} holds a NUL`);
  if (value.length > MAX_FILTER_STRING) {
    throw new CodedError('bad_request', `${what} is longer than ${MAX_FILTER_STRING} characters`);
  }
  return value;
}

/** `filterString` for each value of a list (an `$in` list built by us, of strings only). */
export function filterStrings(values: readonly unknown[], what: string): string[] {
  return values.map((v) => filterString(v, what));
}

/**
 * Refuses a filter object that holds operators a caller must never supply: any key starting with
 * `$` (`$where`, `$expr`, `$function`, `$gt`…) at any depth. Our stores build their filters from
 * fixed field names and {@link filterString} values; this is the last check before a query.
 */
export function assertNoOperators(filter: unknown, path = 'filter'): void {
  if (filter === null || typeof filter !== 'object') return;
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) {
      throw new CodedError('bad_request', `${path} holds the operator ${JSON.stringify(key)}`);
    }
    assertNoOperators(value, `${path}.${key}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
