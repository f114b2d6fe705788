import { exceedsDepth, MAX_JSON_DEPTH } from '../../src/http/json-depth';
import { nestedArrays } from '../support/bodies';

describe('exceedsDepth', () => {
  test('counts levels of arrays and objects; scalars are level 0', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth(null, 0)).toBe(false);
    expect(exceedsDepth({}, 0)).toBe(true);
    expect(exceedsDepth({ a: 1, b: 'x' }, 1)).toBe(false);
    expect(exceedsDepth({ a: [1, 2] }, 1)).toBe(true);
    expect(exceedsDepth({ a: [1, 2] }, 2)).toBe(false);
    expect(exceedsDepth([[[]]], 2)).toBe(true);
    // A deep branch after shallow ones is found too.
    expect(exceedsDepth([1, { a: 2 }, [[{ b: [3] }]]], 4)).toBe(true);
    expect(exceedsDepth([1, { a: 2 }, [[{ b: [3] }]]], 5)).toBe(false);
  });

  test('100,000 nested arrays are checked without recursion (no stack overflow)', () => {
    const deep: unknown = JSON.parse(nestedArrays(100_000));
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(exceedsDepth(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(exceedsDepth(deep, 100_000)).toBe(false);
  });

  test('a cycle (not possible in JSON) ends as too deep instead of looping', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(exceedsDepth(a, 10)).toBe(true);
  });
});
