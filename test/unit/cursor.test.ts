// The task cursor: a list that can grow at run time right after the running task.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskCursor } from '../../src/engine/cursor.ts';

describe('TaskCursor', () => {
  it('inserted tasks run next, after the one that brought them, and the rest follow', () => {
    const c = new TaskCursor(['a', 'b', 'c']);
    const ran: string[] = [];
    for (let i = 0; i < c.length; i++) {
      ran.push(c.at(i));
      if (c.at(i) === 'b') c.insertAfter(i, ['b1', 'b2']);
      if (c.at(i) === 'b2') c.insertAfter(i, ['b2x']);
    }
    assert.deepEqual(ran, ['a', 'b', 'b1', 'b2', 'b2x', 'c']);
  });

  it('each insertion changes the generation (probes read before are stale); an empty one does not', () => {
    const c = new TaskCursor([1, 2]);
    const g0 = c.generation;
    c.insertAfter(0, []);
    assert.equal(c.generation, g0);
    c.insertAfter(0, [9]);
    assert.notEqual(c.generation, g0);
    assert.deepEqual(c.from(0), [1, 9, 2]);
    assert.deepEqual(c.from(2), [2]);
  });

  it('a static list is the simple case: the items given, never shared with the caller', () => {
    const items = ['x', 'y'];
    const c = new TaskCursor(items);
    c.insertAfter(1, ['z']);
    assert.deepEqual(items, ['x', 'y']);
    assert.deepEqual(c.from(0), ['x', 'y', 'z']);
    c.insertAfter(-1, ['first']);
    assert.equal(c.at(0), 'first');
  });

  it('refuses positions outside the list', () => {
    const c = new TaskCursor(['a']);
    assert.throws(() => c.at(1), /no task at 1 \(of 1\)/);
    assert.throws(() => c.at(-1), /no task at -1/);
    assert.throws(() => c.insertAfter(1, ['b']), /cannot insert after 1 \(of 1\)/);
  });
});
