-- Bench set-up (not timed): permits for every enterprise, fines for 30%, designations for 5%,
-- incidents for 2%, memberships for 1%, generated in SQL from the enterprise table so that the
-- envreg and sqlite3 databases hold the same facts. Dates spread around 2026-11-29.
PRAGMA foreign_keys = ON;
BEGIN;
INSERT INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
  VALUES (2000000000, '2026-11-29T00:00:00Z', 'bench', 'bench.setup', 'bench', 'facts', 'x', 'bench-facts');
INSERT INTO permit (number, enterprise_id, class, issued_on, valid_from, valid_to, audit_id)
  SELECT credit_code || '001P', id, CASE permit_class WHEN 'none' THEN 'registration' ELSE permit_class END,
    date('2021-12-01', '+' || ((id * 7919) % 1826) || ' days'), date('2021-12-01', '+' || ((id * 7919) % 1826) || ' days'),
    date('2021-12-01', '+' || ((id * 7919) % 1826) || ' days', '+5 years', '-1 day'), 2000000000
  FROM enterprise;
INSERT INTO permit_event (permit_id, kind, event_on, audit_id)
  SELECT id, 'renewal-applied', date(valid_to, '-70 days'), 2000000000 FROM permit WHERE id % 3 = 0 AND valid_to < '2027-06-01';
INSERT INTO fine (decision_number, decision_key, enterprise_id, amount_fen, decided_on, received_on, law_version, legal_basis, audit_id)
  SELECT 'F' || id, 'F' || id, id, (id % 100 + 1) * 100000, date('2025-01-01', '+' || (id % 700) || ' days'),
    date('2025-01-01', '+' || (id % 700 + 3) || ' days'), '2021', '', 2000000000
  FROM enterprise WHERE id % 10 < 3;
INSERT INTO fine_payment (fine_id, paid_on, amount_fen, reference, audit_id)
  SELECT id, date(received_on, '+10 days'), amount_fen, 'bench', 2000000000 FROM fine WHERE id % 3 <> 0;
INSERT INTO designation (enterprise_id, kind, granted_by, valid_from, audit_id)
  SELECT id, CASE id % 3 WHEN 0 THEN 'key-sector' WHEN 1 THEN 'major-project' ELSE 'key-component' END, 'bench', '2020-07-01', 2000000000
  FROM enterprise WHERE id % 20 = 7;
INSERT INTO incident (enterprise_id, kind, occurred_on, audit_id)
  SELECT id, CASE id % 2 WHEN 0 THEN 'emergency' ELSE 'crime' END, date('2023-01-01', '+' || (id % 1400) || ' days'), 2000000000
  FROM enterprise WHERE id % 50 = 11;
INSERT INTO list_membership (enterprise_id, list, category, admitted_on, valid_until, trace, admitted_by, audit_id)
  SELECT id, 'inspection-exemption', 'EX-C6', '2025-01-01', '2028-01-01', '{}', 'bench', 2000000000 FROM enterprise WHERE id % 100 = 3;
COMMIT;
