-- Sample rows for development and tests: a few records for the tenants acme, globex and
-- default. `npm run db:seed` applies it; the embedded database always has it. Re-running it
-- changes nothing. Do not seed a production database.

INSERT INTO records (tenant_id, id, kind, title, status, attributes, created_at, updated_at) VALUES
  ('acme', 'cus_acme_001', 'customer', 'Road Runner Logistics', 'active', '{"email": "ops@roadrunner.example", "plan": "enterprise", "region": "us-west", "seats": 250}', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
  ('acme', 'cus_acme_002', 'customer', 'Coyote Engineering', 'active', '{"email": "wile@coyote.example", "plan": "pro", "region": "us-west", "seats": 12}', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
  ('acme', 'cus_acme_003', 'customer', 'Mesa Verde Outfitters', 'churned', '{"email": "hello@mesaverde.example", "plan": "starter", "region": "us-central", "seats": 3}', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
  ('acme', 'ord_acme_1001', 'order', 'Order 1001: rocket skates x2', 'shipped', '{"customerId": "cus_acme_002", "totalCents": 49800, "currency": "USD"}', '2026-02-11T14:30:00Z', '2026-02-11T14:30:00Z'),
  ('acme', 'note_acme_01', 'note', 'Coyote Engineering asked for a bulk discount', 'open', '{"customerId": "cus_acme_002", "tags": ["pricing", "follow-up"]}', '2026-02-11T14:30:00Z', '2026-02-11T14:30:00Z'),
  ('globex', 'cus_globex_001', 'customer', 'Springfield Nuclear Plant', 'active', '{"email": "safety@snpp.example", "plan": "enterprise", "region": "us-east", "seats": 900}', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
  ('globex', 'cus_globex_002', 'customer', 'Cypress Creek Hammocks', 'active', '{"email": "orders@cypresscreek.example", "plan": "pro", "region": "us-east", "seats": 25}', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
  ('globex', 'ord_globex_5001', 'order', 'Order 5001: hammock fleet', 'paid', '{"customerId": "cus_globex_002", "totalCents": 310000, "currency": "USD"}', '2026-02-11T14:30:00Z', '2026-02-11T14:30:00Z'),
  ('globex', 'note_globex_01', 'note', 'Springfield wants an on-site security review', 'open', '{"customerId": "cus_globex_001", "tags": ["security"]}', '2026-03-20T08:15:00Z', '2026-03-20T08:15:00Z'),
  ('default', 'cus_default_001', 'customer', 'Example Bakery', 'active', '{"email": "owner@bakery.example", "plan": "starter", "region": "eu-west", "seats": 2}', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
  ('default', 'note_default_01', 'note', 'Example Bakery asked about weekend delivery', 'open', '{"customerId": "cus_default_001", "tags": ["delivery"]}', '2026-03-20T08:15:00Z', '2026-03-20T08:15:00Z')
ON CONFLICT (tenant_id, id) DO NOTHING;
