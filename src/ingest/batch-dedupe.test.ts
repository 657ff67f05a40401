import { describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { lastPerId, uniqueEvents } from './batch-dedupe.js';

const view = (extra: Partial<Event> = {}): Event => ({ userId: 'u', itemId: 'i', type: 'view', timestamp: '2024-01-01T00:00:00Z', ...extra });

describe('lastPerId', () => {
  it('keeps the last record of each id and counts the merged ones', () => {
    const out = lastPerId([{ id: 'a', title: '1' }, { id: 'b' }, { id: 'a', title: '2' }, { id: 'a', title: '3' }]);
    expect(out).toEqual({ records: [{ id: 'a', title: '3' }, { id: 'b' }], merged: 2 });
  });

  it('hands back the same array when no id repeats', () => {
    const records = [{ id: 'a' }, { id: 'b' }];
    expect(lastPerId(records)).toEqual({ records, merged: 0 });
    expect(lastPerId(records).records).toBe(records);
  });
});

describe('uniqueEvents', () => {
  it('writes an id once: identical repeats and conflicting reuses are counted apart', () => {
    const first = view({ id: 'e1', value: 1 });
    const out = uniqueEvents([first, view({ id: 'e2' }), { ...first }, view({ id: 'e1', value: 2 }), view({ id: 'e1', timestamp: '2024-01-01T00:00:00.000Z', value: 1 })]);
    expect(out.events).toEqual([first, view({ id: 'e2' })]);
    // The last one names the same instant in another spelling: the same content.
    expect(out).toMatchObject({ repeats: 2, conflicts: 1 });
  });

  it('keys events without an id by their content, so they only ever repeat', () => {
    const out = uniqueEvents([view(), view({ timestamp: '2024-01-01T01:00:00+01:00' }), view({ type: 'like' })]);
    expect(out).toEqual({ events: [view(), view({ type: 'like' })], repeats: 1, conflicts: 0 });
  });
});
