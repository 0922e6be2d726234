import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { walkOrdered } from '../../../src/export/walk.js';
import { random } from '../../integration/export/history.js';

interface Node {
  readonly path: string;
  readonly depth: number;
}

describe('walkOrdered', () => {
  it('yields results in depth-first plan order whatever order the work finishes in', async () => {
    const rnd = random(7);
    let active = 0;
    let peak = 0;
    const roots = ['a', 'b', 'c', 'd'].map((path) => ({ path, depth: 0 }))[Symbol.iterator]();
    const seen: string[] = [];
    for await (const path of walkOrdered<Node, string>(
      roots,
      async (node) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(Math.floor(rnd() * 5));
        active--;
        const children = node.depth < 2 && node.path.endsWith('a') ? ['a', 'b'].map((c) => ({ path: node.path + c, depth: node.depth + 1 })) : [];
        return { result: node.path, children };
      },
      3,
    )) {
      seen.push(path);
    }
    expect(seen).toEqual(['a', 'aa', 'aaa', 'aab', 'ab', 'b', 'c', 'd']);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });

  it('pulls roots lazily, so a planner can size the next root from what came back', async () => {
    let pulled = 0;
    function* roots(): Generator<Node> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield { path: String(i), depth: 0 };
      }
    }
    const walk = walkOrdered<Node, string>(roots(), async (n) => ({ result: n.path, children: [] }), 2);
    await walk.next();
    expect(pulled).toBeLessThanOrEqual(3);
    await walk.return(undefined);
  });

  it('passes a failure of the head on to the consumer', async () => {
    const roots = [{ path: 'x', depth: 0 }][Symbol.iterator]();
    const walk = walkOrdered<Node, string>(roots, async () => Promise.reject(new Error('boom')), 2);
    await expect(walk.next()).rejects.toThrow('boom');
  });
});
