import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigValidationError, loadAreas } from './config.loader.js';
import { defineArea, optional, setting } from './setting.js';
import { int, text } from './setting.parsers.js';

const web = defineArea('web', {
  port: setting('T_PORT', int(0, 65535), 80, 'port'),
  url: setting('T_URL', text, ({ read }) => `http://localhost:${read<number>('T_PORT')}`, 'url'),
});
const app = defineArea(
  'app',
  {
    id: setting('T_ID', text, ({ read }) => `${read<string>('T_URL')}/app`, 'id'),
    secret: optional('T_SECRET', text, 'secret', '(none)'),
    mode: setting(
      'T_MODE',
      text,
      ({ problem }) => {
        problem('T_MODE is not set: choose one');
        return 'none';
      },
      'mode',
    ),
  },
  (v) => (v.mode === 'strict' && v.secret === undefined ? ['T_SECRET is required when T_MODE=strict'] : []),
);

describe('loadAreas (settings declared per area)', () => {
  it('derives defaults from other settings in any area, each parsed once', () => {
    const config = loadAreas({ T_PORT: '8080', T_MODE: 'easy' }, [web, app], { cwd: '/' });
    assert.deepEqual(config, {
      web: { port: 8080, url: 'http://localhost:8080' },
      app: { id: 'http://localhost:8080/app', secret: undefined, mode: 'easy' },
    });
  });

  it('reports every problem at once, in declaration order, with the cross-setting rules last', () => {
    assert.throws(
      () => loadAreas({ T_PORT: 'x', T_ID: ' ', T_MODE: 'strict' }, [web, app], { cwd: '/' }),
      (e: unknown) =>
        e instanceof ConfigValidationError &&
        e.problems.join('|') === 'T_PORT must be a whole number, got "x"|T_ID must not be empty|T_SECRET is required when T_MODE=strict',
    );
    assert.throws(() => loadAreas({}, [web, app], { cwd: '/' }), /T_MODE is not set: choose one/);
  });

  it('refuses a variable declared twice, and defaults that derive from each other', () => {
    assert.throws(() => loadAreas({}, [web, web], { cwd: '/' }), /T_PORT is declared twice/);
    const loop = defineArea('loop', {
      a: setting('T_A', text, ({ read }) => read<string>('T_B'), 'a'),
      b: setting('T_B', text, ({ read }) => read<string>('T_A'), 'b'),
    });
    assert.throws(() => loadAreas({}, [loop], { cwd: '/' }), /derive from each other/);
  });
});
