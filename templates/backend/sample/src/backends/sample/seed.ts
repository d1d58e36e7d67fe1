/**
 * Deterministic sample data, different for each tenant, so tests and demos can show that a
 * tenant only ever sees its own records. Tenants not listed here start empty.
 */
import type { SampleRecord } from './records.js';

const T0 = '2026-01-05T09:00:00.000Z';
const T1 = '2026-02-11T14:30:00.000Z';
const T2 = '2026-03-20T08:15:00.000Z';

type Seed = Omit<SampleRecord, 'createdAt' | 'updatedAt'> & { at?: string };

const SEEDS: Record<string, Seed[]> = {
  acme: [
    { id: 'cus_acme_001', kind: 'customer', title: 'Road Runner Logistics', status: 'active', attributes: { email: 'ops@roadrunner.example', plan: 'enterprise', region: 'us-west', seats: 250 } },
    { id: 'cus_acme_002', kind: 'customer', title: 'Coyote Engineering', status: 'active', attributes: { email: 'wile@coyote.example', plan: 'pro', region: 'us-west', seats: 12 } },
    { id: 'cus_acme_003', kind: 'customer', title: 'Mesa Verde Outfitters', status: 'churned', attributes: { email: 'hello@mesaverde.example', plan: 'starter', region: 'us-central', seats: 3 } },
    { id: 'cus_acme_004', kind: 'customer', title: 'Desert Sky Airlines', status: 'trial', attributes: { email: 'it@desertsky.example', plan: 'pro', region: 'us-west', seats: 40 } },
    { id: 'ord_acme_1001', kind: 'order', title: 'Order 1001: rocket skates x2', status: 'shipped', attributes: { customerId: 'cus_acme_002', totalCents: 49_800, currency: 'USD' }, at: T1 },
    { id: 'ord_acme_1002', kind: 'order', title: 'Order 1002: giant magnet', status: 'pending', attributes: { customerId: 'cus_acme_002', totalCents: 12_500, currency: 'USD' }, at: T2 },
    { id: 'ord_acme_1003', kind: 'order', title: 'Order 1003: fleet tracking annual plan', status: 'paid', attributes: { customerId: 'cus_acme_001', totalCents: 1_200_000, currency: 'USD' }, at: T2 },
    { id: 'note_acme_01', kind: 'note', title: 'Coyote Engineering asked for a bulk discount', status: 'open', attributes: { customerId: 'cus_acme_002', tags: ['pricing', 'follow-up'] }, at: T1 },
  ],
  globex: [
    { id: 'cus_globex_001', kind: 'customer', title: 'Springfield Nuclear Plant', status: 'active', attributes: { email: 'safety@snpp.example', plan: 'enterprise', region: 'us-east', seats: 900 } },
    { id: 'cus_globex_002', kind: 'customer', title: 'Cypress Creek Hammocks', status: 'active', attributes: { email: 'orders@cypresscreek.example', plan: 'pro', region: 'us-east', seats: 25 } },
    { id: 'cus_globex_003', kind: 'customer', title: 'Shelbyville Monorail Co', status: 'suspended', attributes: { email: 'lyle@monorail.example', plan: 'starter', region: 'us-central', seats: 5 } },
    { id: 'ord_globex_5001', kind: 'order', title: 'Order 5001: hammock fleet', status: 'paid', attributes: { customerId: 'cus_globex_002', totalCents: 310_000, currency: 'USD' }, at: T1 },
    { id: 'ord_globex_5002', kind: 'order', title: 'Order 5002: reactor monitoring renewal', status: 'pending', attributes: { customerId: 'cus_globex_001', totalCents: 2_400_000, currency: 'USD' }, at: T2 },
    { id: 'note_globex_01', kind: 'note', title: 'Springfield wants an on-site security review', status: 'open', attributes: { customerId: 'cus_globex_001', tags: ['security'] }, at: T2 },
  ],
  default: [
    { id: 'cus_default_001', kind: 'customer', title: 'Example Bakery', status: 'active', attributes: { email: 'owner@bakery.example', plan: 'starter', region: 'eu-west', seats: 2 } },
    { id: 'cus_default_002', kind: 'customer', title: 'Example Bike Repair', status: 'trial', attributes: { email: 'fix@bikes.example', plan: 'pro', region: 'eu-west', seats: 4 } },
    { id: 'ord_default_0001', kind: 'order', title: 'Order 0001: sourdough starter kit', status: 'shipped', attributes: { customerId: 'cus_default_001', totalCents: 2_900, currency: 'EUR' }, at: T1 },
    { id: 'note_default_01', kind: 'note', title: 'Example Bakery asked about weekend delivery', status: 'open', attributes: { customerId: 'cus_default_001', tags: ['delivery'] }, at: T2 },
  ],
};

/** A fresh copy of a tenant's seed records (empty for unknown tenants). */
export function seedRecordsFor(tenantId: string): SampleRecord[] {
  const seeds = Object.hasOwn(SEEDS, tenantId) ? SEEDS[tenantId] ?? [] : [];
  return seeds.map(({ at, ...record }) => ({
    ...structuredClone(record),
    createdAt: at ?? T0,
    updatedAt: at ?? T0,
  }));
}
