import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectorError } from './connector.error.js';
import { jsonDepth, MAX_JSON_DEPTH, parseJson } from './json.js';

describe('parseJson', () => {
  it('measures nesting outside strings only', () => {
    assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
    assert.equal(jsonDepth('"[[[[[[[[["'), 0);
    assert.equal(jsonDepth('{"a":"\\\\\\"{{{"}'), 1, 'escaped quotes and backslashes stay inside the string');
    assert.equal(jsonDepth('[]'), 1);
  });

  it('accepts documents as deep as the limit and refuses deeper ones as MALFORMED_MESSAGE, before parsing', () => {
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    assert.deepEqual(parseJson('{"x":[1]}', 'body'), { x: [1] });
    assert.doesNotThrow(() => parseJson(deep(MAX_JSON_DEPTH), 'body'));
    // Hardening finding 2: 3,000 levels overflowed the stack of whatever walked the value, and answered 500.
    for (const text of [deep(MAX_JSON_DEPTH + 1), deep(3000), '{"a":'.repeat(100_000)]) {
      assert.throws(
        () => parseJson(text, 'request body', 'body'),
        (e: unknown) =>
          e instanceof ConnectorError &&
          e.code === 'MALFORMED_MESSAGE' &&
          e.field === 'body' &&
          /nested deeper than 100 levels/.test(e.message),
      );
    }
  });

  it('says what was broken', () => {
    assert.throws(() => parseJson('{"title": ', 'header part'), /header part: not JSON/);
  });
});
