-- Bench set-up (not timed): one ledger item per enterprise (100k at the 100k size), with the
-- registration entry, and a third of them moved on (in progress, then half of those closed).
PRAGMA foreign_keys = ON;
BEGIN;
INSERT OR IGNORE INTO audit (id, at, actor, action, entity_type, entity_key, prev_hash, hash)
  VALUES (2000000001, '2026-11-29T00:00:00Z', 'bench', 'bench.setup', 'bench', 'ledger', 'x', 'bench-ledger');
INSERT INTO ledger_item (enterprise_id, source, problem_type, description, found_on, class, measures, responsible_unit, responsible_person, due_on, state, audit_id)
  SELECT id, CASE id % 3 WHEN 0 THEN '帮扶' WHEN 1 THEN '执法检查' ELSE '疫情影响调查' END,
    CASE id % 4 WHEN 0 THEN '治污设施' WHEN 1 THEN '排污许可' WHEN 2 THEN 'VOCs治理' ELSE '资金困难' END,
    '废气收集效率低，末端治理设施运行不稳定', date('2026-01-01', '+' || (id % 300) || ' days'),
    CASE id % 3 WHEN 0 THEN '立行立改' ELSE '跟踪督办' END, '送技术', '生态环境局' || (id % 50), '张三',
    date('2026-01-01', '+' || (id % 300 + 60) || ' days'), '待整改', 2000000001
  FROM enterprise;
INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
  SELECT id, found_on, 'transition', NULL, '待整改', '登记入账', 2000000001 FROM ledger_item;
INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
  SELECT id, date(found_on, '+10 days'), 'transition', '待整改', '整改中', '整改方案已制定', 2000000001 FROM ledger_item WHERE id % 3 = 1;
UPDATE ledger_item SET state = '整改中' WHERE id % 3 = 1;
INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
  SELECT id, date(found_on, '+30 days'), 'transition', '整改中', '待验收', '待验收', 2000000001 FROM ledger_item WHERE id % 6 = 1;
INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id)
  SELECT id, date(found_on, '+40 days'), 'transition', '待验收', '已销号', '验收合格', 2000000001 FROM ledger_item WHERE id % 6 = 1;
UPDATE ledger_item SET state = '已销号', closed_on = date(found_on, '+40 days') WHERE id % 6 = 1;
COMMIT;
