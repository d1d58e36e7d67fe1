import { describe, expect, it } from 'vitest';

import { SampleStore } from '../src/backends/sample/sample-backend.js';

describe('sample backend', () => {
  it('is seeded with deterministic, per-tenant records', async () => {
    const first = await new SampleStore().forTenant('acme').search({ limit: 100 });
    const second = await new SampleStore().forTenant('acme').search({ limit: 100 });
    expect(first).toEqual(second);
    expect(first.map((record) => record.kind)).toEqual(expect.arrayContaining(['customer', 'order', 'note']));
  });

  it('searches by every word, case-insensitively, and by kind', async () => {
    const acme = new SampleStore().forTenant('acme');
    expect((await acme.search({ text: 'COYOTE engineering' })).map((record) => record.id)).toContain('cus_acme_002');
    expect(await acme.search({ text: 'coyote nonexistentword' })).toEqual([]);
    const orders = await acme.search({ kind: 'order' });
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((record) => record.kind === 'order')).toBe(true);
    expect(await acme.search({ limit: 2 })).toHaveLength(2);
  });

  it('creates, gets and updates within one tenant', async () => {
    const store = new SampleStore();
    const acme = store.forTenant('acme');
    const created = await acme.create({ kind: 'note', title: 'Call back', attributes: { priority: 'high' } });
    expect(await acme.get(created.id)).toEqual(created);
    const updated = await acme.update(created.id, { status: 'done', attributes: { owner: 'alice' } });
    expect(updated).toMatchObject({ status: 'done', attributes: { priority: 'high', owner: 'alice' } });
    expect(await store.forTenant('globex').update(created.id, { status: 'stolen' })).toBeUndefined();
  });

  it('hands out copies: changing a result does not change the store', async () => {
    const acme = new SampleStore().forTenant('acme');
    const [record] = await acme.search({ text: 'cus_acme_001' });
    if (!record) throw new Error('seed record missing');
    record.title = 'changed';
    expect((await acme.get('cus_acme_001'))?.title).toBe('Road Runner Logistics');
  });

  it('gives a read tool no way to write', async () => {
    const store = new SampleStore();
    const reader = store.forTenant('acme', { access: 'read' });
    await expect(reader.create({ kind: 'note', title: 'from a read tool' })).rejects.toMatchObject({ code: 'read_only' });
    await expect(reader.update('cus_acme_001', { status: 'changed' })).rejects.toMatchObject({ code: 'read_only' });
    expect((await reader.get('cus_acme_001'))?.status).toBe('active');
  });

  it('reports ready', async () => {
    expect(await new SampleStore().isReady()).toBe(true);
  });
});
