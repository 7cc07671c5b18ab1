import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../src/common/project-root.js';

/**
 * The dependency structure of src/, read from the sources: no import cycle between folders (the layers in
 * docs/architecture.md; eslint.config.js enforces which folder may import which), none between files either.
 */
const SRC = join(PROJECT_ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Relative imports of a file, as paths of .ts files under src/ (type-only imports count: they are dependencies too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) => normalize(join(dirname(file), `${m[1]}.ts`)));
}

const folderOf = (file: string): string => {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0] : '(composition root)';
};

/** Strongly connected components of more than one node (or a self-loop): the cycles. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

describe('architecture: the import graph of src/', () => {
  const files = sources(SRC);
  const fileGraph = new Map(files.map((f) => [f, new Set(importsOf(f))]));
  const folderGraph = new Map<string, Set<string>>();
  for (const [file, targets] of fileGraph) {
    const from = folderOf(file);
    const edges = folderGraph.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folderGraph.set(from, edges);
  }

  it('has no cycle between folders', () => {
    assert.deepEqual(cycles(folderGraph), []);
  });

  it('has no cycle between files', () => {
    assert.deepEqual(
      cycles(fileGraph).map((c) => c.map((f) => relative(SRC, f))),
      [],
    );
  });

  it('keeps the protocol core at the bottom: ids/ imports only common/ and config/', () => {
    assert.deepEqual(
      [...(folderGraph.get('ids') ?? [])].filter((f) => f !== 'common' && f !== 'config'),
      [],
    );
  });

  it('finds the imports it checks (the check itself works)', () => {
    assert.ok(files.length > 100);
    assert.ok(folderGraph.get('contracts')?.has('resources'));
    const looped = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['a'])],
      ['c', new Set<string>()],
    ]);
    assert.deepEqual(cycles(looped), [['a', 'b']]);
  });
});
