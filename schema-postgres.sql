-- envreg schema for PostgreSQL 15, version 7: the same tables, columns, keys and CHECKs as
-- schema.sql (the SQLite schema, the one source of truth), which a test compares column by column.
-- `envreg init --db postgres://…` applies it in one transaction; `envreg_schema` records the version
-- (SQLite's PRAGMA user_version).
--
-- Every text column is COLLATE "C": compared and sorted by code point as SQLite's BINARY does, so
-- that code ranges (a region prefix as `>= '42' AND < '42\uFFFF'`) and every listing's order are the
-- same on both engines whatever the database's locale.
-- Conventions as in schema.sql: dates are text 'YYYY-MM-DD' checked by envreg_is_day (which refuses
-- 2021-02-30 as SQLite's date(x, '+0 days') = x does), so that both engines compare and store them
-- alike; flags are integers 0/1; money is bigint fen; JSON is text checked by envreg_is_json (kept
-- as written: audit hashes cover its exact text). Ids are identities that a copy may set.
-- The audit chain's one serialisation point is a transaction-scoped advisory lock
-- (pg_advisory_xact_lock(1164857959), "EnRg") taken by every writer before it reads the chain's head.

-- A calendar day written YYYY-MM-DD. Plain SQL (inlined, no exception block: a plpgsql EXCEPTION
-- clause opens a subtransaction per call, which made a million-row insert several times slower).
CREATE FUNCTION envreg_is_day(t text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN false
    WHEN substr(t, 1, 4)::int < 1 OR substr(t, 6, 2)::int NOT BETWEEN 1 AND 12 THEN false
    ELSE substr(t, 9, 2)::int BETWEEN 1 AND extract(day FROM make_date(substr(t, 1, 4)::int, substr(t, 6, 2)::int, 1)
      + interval '1 month - 1 day')::int
  END
$$;

CREATE FUNCTION envreg_is_json(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  PERFORM t::json;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;

-- The distinct character pairs of a text (one character: itself), for the name index.
CREATE FUNCTION envreg_pairs(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
  FROM generate_series(1, greatest(length(t) - 1, 1)) AS i
$$;

CREATE TABLE envreg_schema (
  version        integer NOT NULL,
  application_id integer NOT NULL
);

-- Audit trail -------------------------------------------------------------------------------------

-- One row per mutation, written in the mutation's own transaction. `hash` chains each row to the one
-- before it (SHA-256 over the previous hash and this row's fields), so `envreg audit verify` detects
-- an edited or deleted row.
CREATE TABLE audit (
  id          bigint PRIMARY KEY,
  at          text COLLATE "C" NOT NULL,
  actor       text COLLATE "C" NOT NULL CHECK (length(actor) > 0),
  action      text COLLATE "C" NOT NULL,
  entity_type text COLLATE "C" NOT NULL,
  entity_key  text COLLATE "C" NOT NULL,
  before      text COLLATE "C" CHECK (envreg_is_json(before)),
  after       text COLLATE "C" CHECK (envreg_is_json(after)),
  prev_hash   text COLLATE "C" NOT NULL,
  hash        text COLLATE "C" NOT NULL UNIQUE,
  os_user     text COLLATE "C", -- the operating-system user beside the self-declared actor (NULL on rows before version 2)
  keyed       bigint NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1))  -- 1: hash is HMAC-SHA-256 under ENVREG_AUDIT_KEY
);
CREATE INDEX audit_entity ON audit (entity_key, id);
CREATE INDEX audit_at ON audit (at);

-- Reference data ---------------------------------------------------------------------------------

-- GB/T 2260 divisions, current and abolished (loaded at init from the bundled tables).
CREATE TABLE region (
  code         text COLLATE "C" PRIMARY KEY CHECK (length(code) = 6 AND code ~ '^[0-9]{6}$'),
  name         text COLLATE "C" NOT NULL,
  level        text COLLATE "C" NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
  parent_code  text COLLATE "C",
  abolished_on text COLLATE "C" CHECK (abolished_on IS NULL OR abolished_on ~ '^[0-9]{4}-[0-9]{2}$'),
  note         text COLLATE "C",
  seal                text COLLATE "C"
);

-- GB/T 2260 history since 1980: one row per period a code was listed under one name (months).
-- Read by ID-3 (a credit code's registering authority may be any code ever in force) and by the
-- rule that a site's region is in force on the date it is used.
CREATE TABLE region_history (
  code       text COLLATE "C" NOT NULL,
  name       text COLLATE "C" NOT NULL,
  level      text COLLATE "C" NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
  from_month text COLLATE "C" NOT NULL CHECK (from_month ~ '^[0-9]{4}-[0-9]{2}$'),
  to_month   text COLLATE "C" CHECK (to_month IS NULL OR to_month ~ '^[0-9]{4}-[0-9]{2}$'),
  successor  text COLLATE "C",
  seal                text COLLATE "C",
  PRIMARY KEY (code, from_month)
);

-- Versioned key-region sets (RULES §2). A division belongs to a set version when its code, or the
-- prefecture or province containing it, is a member.
CREATE TABLE region_set (
  set_key        text COLLATE "C" NOT NULL CHECK (set_key IN ('jjj', 'yrd', 'fwp')),
  version        text COLLATE "C" NOT NULL,
  name           text COLLATE "C" NOT NULL,
  effective_from text COLLATE "C" NOT NULL CHECK (envreg_is_day(effective_from)),
  effective_to   text COLLATE "C" CHECK (envreg_is_day(effective_to)),
  basis          text COLLATE "C" NOT NULL,
  seal                text COLLATE "C",
  PRIMARY KEY (set_key, version)
);

CREATE TABLE region_set_member (
  set_key     text COLLATE "C" NOT NULL,
  version     text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  seal                text COLLATE "C",
  PRIMARY KEY (set_key, version, region_code),
  FOREIGN KEY (set_key, version) REFERENCES region_set (set_key, version)
);

-- GB/T 4754-2017 sections, divisions, groups and classes.
CREATE TABLE industry (
  code        text COLLATE "C" PRIMARY KEY,
  name        text COLLATE "C" NOT NULL,
  level       text COLLATE "C" NOT NULL CHECK (level IN ('section', 'division', 'group', 'class')),
  parent_code text COLLATE "C",
  seal                text COLLATE "C"
);

-- Dated, jurisdiction-scoped policy parameters (RULES conventions). `value` is JSON.
CREATE TABLE policy_parameter (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  key            text COLLATE "C" NOT NULL,
  jurisdiction   text COLLATE "C" NOT NULL CHECK (jurisdiction = 'national' OR jurisdiction ~ '^[0-9]'),
  effective_from text COLLATE "C" NOT NULL CHECK (envreg_is_day(effective_from)),
  effective_to   text COLLATE "C" CHECK (envreg_is_day(effective_to)),
  value          text COLLATE "C" NOT NULL CHECK (envreg_is_json(value)),
  reference      text COLLATE "C" NOT NULL CHECK (length(reference) > 0),
  audit_id       bigint REFERENCES audit (id),
  seal                text COLLATE "C",
  UNIQUE (key, jurisdiction, effective_from),
  CHECK (effective_to IS NULL OR effective_to >= effective_from)
);

-- Enterprises -------------------------------------------------------------------------------------

-- Enterprise imports (schema 3): a run stages its new firms in short transactions, each row naming
-- the run in `enterprise.pending`; they stay invisible to every read until one final transaction
-- marks the run done, so other writers wait seconds, not the whole import. A run whose process died
-- is abandoned (its rows deleted) by the next import or `envreg check`.
CREATE TABLE import_run (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  state           text COLLATE "C" NOT NULL CHECK (state IN ('staging', 'done', 'abandoned')),
  pid             bigint NOT NULL,
  file            text COLLATE "C" NOT NULL,
  staged_audit_id bigint NOT NULL REFERENCES audit (id),
  ended_audit_id  bigint REFERENCES audit (id),
  seal                text COLLATE "C"
);

CREATE TABLE enterprise (
  id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  credit_code         text COLLATE "C" NOT NULL UNIQUE CHECK (length(credit_code) = 18),
  name                text COLLATE "C" NOT NULL CHECK (length(name) > 0),
  region_code         text COLLATE "C" NOT NULL REFERENCES region (code),
  industry_code       text COLLATE "C" NOT NULL REFERENCES industry (code),
  process             text COLLATE "C" NOT NULL DEFAULT 'unknown' CHECK (process IN ('fermentation', 'chemical-synthesis', 'electroplating', 'other', 'unknown')),
  fuel                text COLLATE "C" NOT NULL DEFAULT 'unknown' CHECK (fuel IN ('coal', 'gas', 'oil', 'biomass', 'electric', 'other', 'none', 'unknown')),
  address             text COLLATE "C" NOT NULL DEFAULT '',
  legal_rep           text COLLATE "C" NOT NULL DEFAULT '',
  contact             text COLLATE "C" NOT NULL DEFAULT '',
  key_discharge_unit  bigint CHECK (key_discharge_unit IN (0, 1)),                              -- NULL: unknown
  permit_class        text COLLATE "C" CHECK (permit_class IN ('key', 'simplified', 'registration', 'none')),  -- NULL: unknown
  online_monitoring   text COLLATE "C" CHECK (online_monitoring IN ('none', 'installed', 'networked')),        -- NULL: unknown
  grade               text COLLATE "C" NOT NULL DEFAULT 'unrated' CHECK (grade IN ('A', 'leading', 'B', 'C', 'D', 'unrated')),
  credit_rating       text COLLATE "C" NOT NULL DEFAULT 'unrated' CHECK (credit_rating IN ('green', 'blue', 'yellow', 'red', 'unrated')),
  facility_type       text COLLATE "C" NOT NULL DEFAULT 'none' CHECK (facility_type IN ('none', 'msw-incineration', 'hazardous-waste', 'medical-waste', 'sewage-treatment', 'park-wastewater')),
  near_yangtze        bigint CHECK (near_yangtze IN (0, 1)),  -- NULL: not surveyed
  status              text COLLATE "C" NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  closed_on           text COLLATE "C" CHECK (envreg_is_day(closed_on)),
  closed_reason       text COLLATE "C",
  registered_on       text COLLATE "C" NOT NULL CHECK (envreg_is_day(registered_on)),
  -- ID-7: why a code whose only error is its check character was registered (NULL: the code conforms).
  code_override       text COLLATE "C" CHECK (code_override IS NULL OR length(code_override) > 0),
  created_audit_id    bigint NOT NULL REFERENCES audit (id),
  updated_audit_id    bigint NOT NULL REFERENCES audit (id),
  pending             bigint REFERENCES import_run (id),  -- NULL, or the import run that staged it
  seal                text COLLATE "C",
  CHECK ((status = 'closed') = (closed_on IS NOT NULL))
);
CREATE INDEX enterprise_region ON enterprise (region_code);
CREATE INDEX enterprise_industry_region ON enterprise (industry_code, region_code);
CREATE INDEX enterprise_name ON enterprise (name);
CREATE INDEX enterprise_permit_class ON enterprise (permit_class, region_code);
CREATE INDEX enterprise_grade ON enterprise (grade, region_code);
CREATE INDEX enterprise_status ON enterprise (status, region_code);
CREATE INDEX enterprise_pending ON enterprise (pending) WHERE pending IS NOT NULL;
CREATE INDEX enterprise_override ON enterprise (credit_code) WHERE code_override IS NOT NULL;

-- Name search: a GIN index over each name's character pairs (化工集团 → {化工, 工集, 集团}), so a
-- fragment of two or more characters finds its candidates by index; strpos keeps the answer exactly
-- the scan's (the SQLite schema's FTS5 table does the same with one token per character).
CREATE INDEX enterprise_name_pairs ON enterprise USING gin (envreg_pairs(name));

-- Every change of a fact, dated (RULES PM-6 reads name, address and legal_rep changes).
CREATE TABLE enterprise_change (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  field         text COLLATE "C" NOT NULL,
  old_value     text COLLATE "C",
  new_value     text COLLATE "C",
  effective_on  text COLLATE "C" NOT NULL CHECK (envreg_is_day(effective_on)),
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX enterprise_change_by_firm ON enterprise_change (enterprise_id, effective_on);
CREATE INDEX enterprise_change_by_field ON enterprise_change (field, effective_on);

CREATE TABLE designation (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  kind          text COLLATE "C" NOT NULL CHECK (kind IN ('epidemic-supplier', 'livelihood', 'low-pollution-high-employment', 'major-project', 'key-sector', 'key-component', 'special-material', 'epidemic-eia-project', 'sensitive-area', 'weather-guarantee')),
  granted_by    text COLLATE "C" NOT NULL,
  valid_from    text COLLATE "C" NOT NULL CHECK (envreg_is_day(valid_from)),
  valid_until   text COLLATE "C" CHECK (envreg_is_day(valid_until)),
  reference     text COLLATE "C" NOT NULL DEFAULT '',
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX designation_by_firm ON designation (enterprise_id, kind);

CREATE TABLE incident (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  kind          text COLLATE "C" NOT NULL CHECK (kind IN ('emergency', 'crime', 'serious-violation', 'penalty')),
  occurred_on   text COLLATE "C" NOT NULL CHECK (envreg_is_day(occurred_on)),
  reference     text COLLATE "C" NOT NULL DEFAULT '',
  note          text COLLATE "C" NOT NULL DEFAULT '',
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX incident_by_firm ON incident (enterprise_id, kind, occurred_on);

-- Positive lists ----------------------------------------------------------------------------------

CREATE TABLE list_membership (
  id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id    bigint NOT NULL REFERENCES enterprise (id),
  list             text COLLATE "C" NOT NULL CHECK (list IN ('inspection-exemption', 'eia-green-channel')),
  category         text COLLATE "C" NOT NULL,
  admitted_on      text COLLATE "C" NOT NULL CHECK (envreg_is_day(admitted_on)),
  valid_until      text COLLATE "C" NOT NULL CHECK (envreg_is_day(valid_until)),
  trace            text COLLATE "C" NOT NULL CHECK (envreg_is_json(trace)),
  admitted_by      text COLLATE "C" NOT NULL,
  override_reason  text COLLATE "C",
  revoked_on       text COLLATE "C" CHECK (envreg_is_day(revoked_on)),
  revoke_reason    text COLLATE "C",
  serious_violation bigint NOT NULL DEFAULT 0 CHECK (serious_violation IN (0, 1)),
  audit_id         bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK (valid_until > admitted_on),
  CHECK ((revoked_on IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX list_membership_by_list ON list_membership (list, admitted_on, valid_until);
CREATE INDEX list_membership_by_firm ON list_membership (enterprise_id, list);

-- Permits -----------------------------------------------------------------------------------------

CREATE TABLE permit (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  number        text COLLATE "C" NOT NULL UNIQUE CHECK (length(number) = 22),
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  class         text COLLATE "C" NOT NULL CHECK (class IN ('key', 'simplified', 'registration')),
  issued_on     text COLLATE "C" NOT NULL CHECK (envreg_is_day(issued_on)),
  valid_from    text COLLATE "C" NOT NULL CHECK (envreg_is_day(valid_from)),
  valid_to      text COLLATE "C" NOT NULL CHECK (envreg_is_day(valid_to)),
  superseded_by bigint REFERENCES permit (id),
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK (valid_to > valid_from)
);
CREATE INDEX permit_by_firm ON permit (enterprise_id);
CREATE INDEX permit_by_valid_to ON permit (valid_to);

CREATE TABLE permit_event (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  permit_id  bigint NOT NULL REFERENCES permit (id),
  kind       text COLLATE "C" NOT NULL CHECK (kind IN ('renewal-applied', 'deferral-granted', 'change-filed', 'renewed', 'cancelled', 'revoked')),
  event_on   text COLLATE "C" NOT NULL CHECK (envreg_is_day(event_on)),
  until_on   text COLLATE "C" CHECK (envreg_is_day(until_on)),
  basis      text COLLATE "C" NOT NULL DEFAULT '',
  approver   text COLLATE "C" NOT NULL DEFAULT '',
  note       text COLLATE "C" NOT NULL DEFAULT '',
  audit_id   bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK ((kind = 'deferral-granted') = (until_on IS NOT NULL))
);
CREATE INDEX permit_event_by_permit ON permit_event (permit_id, kind, event_on);
-- The few deferred permits, found without a scan (the expiry notice and due read them apart).
CREATE INDEX permit_event_by_kind ON permit_event (kind, event_on, permit_id);

-- Fines -------------------------------------------------------------------------------------------

CREATE TABLE fine (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  decision_number text COLLATE "C" NOT NULL UNIQUE CHECK (length(decision_number) > 0),  -- as printed
  decision_key    text COLLATE "C" NOT NULL UNIQUE CHECK (length(decision_key) > 0),     -- canonical form (ID-8)
  enterprise_id   bigint NOT NULL REFERENCES enterprise (id),
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  decided_on      text COLLATE "C" NOT NULL CHECK (envreg_is_day(decided_on)),
  received_on     text COLLATE "C" NOT NULL CHECK (envreg_is_day(received_on)),
  law_version     text COLLATE "C" NOT NULL CHECK (law_version IN ('2017', '2021')),
  legal_basis     text COLLATE "C" NOT NULL DEFAULT '',
  audit_id        bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK (received_on >= decided_on)
);
CREATE INDEX fine_by_firm ON fine (enterprise_id);
CREATE INDEX fine_by_received ON fine (received_on);

CREATE TABLE fine_arrangement (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  fine_id     bigint NOT NULL REFERENCES fine (id),
  kind        text COLLATE "C" NOT NULL CHECK (kind IN ('deferral', 'instalments')),
  applied_on  text COLLATE "C" NOT NULL CHECK (envreg_is_day(applied_on)),
  reason      text COLLATE "C" NOT NULL,
  approver    text COLLATE "C" NOT NULL,
  approved_on text COLLATE "C" NOT NULL CHECK (envreg_is_day(approved_on)),
  new_due_on  text COLLATE "C" CHECK (envreg_is_day(new_due_on)),
  supersede_reason text COLLATE "C" NOT NULL DEFAULT '',  -- why it replaces the arrangement before it (FN-2)
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK ((kind = 'deferral') = (new_due_on IS NOT NULL))
);
CREATE INDEX fine_arrangement_by_fine ON fine_arrangement (fine_id);

CREATE TABLE fine_instalment (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  arrangement_id bigint NOT NULL REFERENCES fine_arrangement (id),
  seq            bigint NOT NULL CHECK (seq >= 1),
  due_on         text COLLATE "C" NOT NULL CHECK (envreg_is_day(due_on)),
  amount_fen     bigint NOT NULL CHECK (amount_fen > 0),
  seal                text COLLATE "C",
  UNIQUE (arrangement_id, seq)
);
CREATE INDEX fine_instalment_by_due ON fine_instalment (due_on);

CREATE TABLE fine_payment (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  fine_id    bigint NOT NULL REFERENCES fine (id),
  paid_on    text COLLATE "C" NOT NULL CHECK (envreg_is_day(paid_on)),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  reference  text COLLATE "C" NOT NULL DEFAULT '',
  audit_id   bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX fine_payment_by_fine ON fine_payment (fine_id, paid_on);

CREATE TABLE fine_suspension (
  id        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  fine_id   bigint NOT NULL REFERENCES fine (id),
  kind      text COLLATE "C" NOT NULL CHECK (kind IN ('review', 'litigation')),
  from_on   text COLLATE "C" NOT NULL CHECK (envreg_is_day(from_on)),
  to_on     text COLLATE "C" CHECK (envreg_is_day(to_on)),
  audit_id  bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK (to_on IS NULL OR to_on >= from_on)
);
CREATE INDEX fine_suspension_by_fine ON fine_suspension (fine_id);

-- Ultra-low-emission retrofits --------------------------------------------------------------------

CREATE TABLE retrofit (
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id      bigint NOT NULL REFERENCES enterprise (id),
  facility           text COLLATE "C" NOT NULL CHECK (length(facility) > 0),
  source_type        text COLLATE "C" NOT NULL CHECK (source_type IN ('steel-sintering', 'steel-pelletising', 'steel-other', 'coal-boiler', 'gas-boiler', 'cement-kiln', 'ceramics-kiln')),
  capacity           double precision NOT NULL CHECK (capacity >= 0),
  capacity_unit      text COLLATE "C" NOT NULL CHECK (capacity_unit IN ('t/h', 't/a', 'MW')),
  new_installation   bigint NOT NULL DEFAULT 0 CHECK (new_installation IN (0, 1)),
  planned_start      text COLLATE "C" NOT NULL CHECK (envreg_is_day(planned_start)),
  planned_completion text COLLATE "C" NOT NULL CHECK (envreg_is_day(planned_completion)),
  -- The stage reached: kept equal to the latest retrofit_stage row in the same transaction, so
  -- that listings by stage use an index; retrofit_stage is the record.
  stage              text COLLATE "C" NOT NULL DEFAULT 'planned' CHECK (stage IN ('planned', 'under-construction', 'completed', 'stable-operation', 'assessed', 'verified')),
  assessing_body     text COLLATE "C" NOT NULL DEFAULT '',
  audit_id           bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  UNIQUE (enterprise_id, facility),
  CHECK (planned_completion >= planned_start)
);
CREATE INDEX retrofit_by_stage ON retrofit (source_type, stage);

CREATE TABLE retrofit_stage (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  retrofit_id bigint NOT NULL REFERENCES retrofit (id),
  stage       text COLLATE "C" NOT NULL,
  entered_on  text COLLATE "C" NOT NULL CHECK (envreg_is_day(entered_on)),
  note        text COLLATE "C" NOT NULL DEFAULT '',
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX retrofit_stage_by_retrofit ON retrofit_stage (retrofit_id, entered_on);

CREATE TABLE measurement (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  retrofit_id   bigint NOT NULL REFERENCES retrofit (id),
  pollutant     text COLLATE "C" NOT NULL CHECK (pollutant IN ('PM', 'SO2', 'NOx')),
  concentration double precision NOT NULL CHECK (concentration >= 0),
  o2_percent    double precision NOT NULL CHECK (o2_percent >= 0 AND o2_percent < 21),
  measured_on   text COLLATE "C" NOT NULL CHECK (envreg_is_day(measured_on)),
  measured_by   text COLLATE "C" NOT NULL,
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX measurement_by_retrofit ON measurement (retrofit_id, pollutant, measured_on);

-- Assistance ledger (企业环境治理问题台账) ---------------------------------------------------------

CREATE TABLE ledger_item (
  id                 bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id      bigint NOT NULL REFERENCES enterprise (id),
  source             text COLLATE "C" NOT NULL CHECK (source IN ('帮扶', '执法检查', '在线监控预警', '信访举报', '企业自报', '督察', '疫情影响调查')),
  problem_type       text COLLATE "C" NOT NULL CHECK (length(problem_type) > 0),
  description        text COLLATE "C" NOT NULL CHECK (length(description) > 0),
  found_on           text COLLATE "C" NOT NULL CHECK (envreg_is_day(found_on)),
  class              text COLLATE "C" NOT NULL CHECK (class IN ('立行立改', '跟踪督办')),
  measures           text COLLATE "C" NOT NULL DEFAULT '',
  responsible_unit   text COLLATE "C" NOT NULL,
  responsible_person text COLLATE "C" NOT NULL,
  due_on             text COLLATE "C" NOT NULL CHECK (envreg_is_day(due_on)),
  -- State and closing date: kept equal to the latest ledger_entry in the same transaction, so that
  -- listings by state use an index; ledger_entry is the record (AL-4).
  state              text COLLATE "C" NOT NULL DEFAULT '待整改' CHECK (state IN ('待整改', '整改中', '待验收', '已销号')),
  closed_on          text COLLATE "C" CHECK (envreg_is_day(closed_on)),
  audit_id           bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK ((state = '已销号') = (closed_on IS NOT NULL))
);
CREATE INDEX ledger_item_by_firm ON ledger_item (enterprise_id);
CREATE INDEX ledger_item_by_state ON ledger_item (state, due_on);

CREATE TABLE ledger_entry (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  item_id    bigint NOT NULL REFERENCES ledger_item (id),
  entry_on   text COLLATE "C" NOT NULL CHECK (envreg_is_day(entry_on)),
  kind       text COLLATE "C" NOT NULL CHECK (kind IN ('progress', 'transition', 'reopen')),
  from_state text COLLATE "C",
  to_state   text COLLATE "C",
  note       text COLLATE "C" NOT NULL DEFAULT '',
  audit_id   bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX ledger_entry_by_item ON ledger_entry (item_id, entry_on, id);

-- 双随机 inspection draws (RULES §9) ------------------------------------------------------------

-- The roster (RD-4): an inspector is disabled, never deleted (draws name them).
CREATE TABLE inspector (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  staff_no    text COLLATE "C" NOT NULL UNIQUE CHECK (length(staff_no) BETWEEN 1 AND 32),
  name        text COLLATE "C" NOT NULL,
  unit        text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL REFERENCES region (code),
  certificate text COLLATE "C" NOT NULL,
  active      bigint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);

-- A declared conflict of interest: the inspector is never drawn for the firm.
CREATE TABLE inspector_conflict (
  inspector_id  bigint NOT NULL REFERENCES inspector (id),
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  reason        text COLLATE "C" NOT NULL,
  declared_on   text COLLATE "C" NOT NULL CHECK (envreg_is_day(declared_on)),
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  PRIMARY KEY (inspector_id, enterprise_id)
);

-- A draw (RD-3): its seed, the pool and roster it drew from and the quotas, each a JSON array of
-- tab-separated strings (README, "The inspection draw"), so anyone can replay it.
CREATE TABLE inspection_draw (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  jurisdiction  text COLLATE "C" NOT NULL CHECK (length(jurisdiction) IN (2, 4, 6) AND jurisdiction !~ '[^0-9]'),
  period        text COLLATE "C" NOT NULL CHECK (period ~ '^[0-9]{4}Q[1-4]$'),
  period_from   text COLLATE "C" NOT NULL CHECK (envreg_is_day(period_from)),
  period_to     text COLLATE "C" NOT NULL CHECK (envreg_is_day(period_to)),
  seed          text COLLATE "C" NOT NULL CHECK (seed <> '' AND seed !~ '[^0-9]'),
  pool_snapshot text COLLATE "C" NOT NULL CHECK (envreg_is_json(pool_snapshot)),
  roster        text COLLATE "C" NOT NULL CHECK (envreg_is_json(roster)),
  quotas        text COLLATE "C" NOT NULL CHECK (envreg_is_json(quotas)),
  inspectors_per_firm bigint NOT NULL CHECK (inspectors_per_firm >= 1),
  drawn_on      text COLLATE "C" NOT NULL CHECK (envreg_is_day(drawn_on)),
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX inspection_draw_by_period ON inspection_draw (period_from, period_to);

CREATE TABLE draw_pick (
  draw_id       bigint NOT NULL REFERENCES inspection_draw (id),
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  stratum       text COLLATE "C" NOT NULL,
  inspectors    text COLLATE "C" NOT NULL CHECK (envreg_is_json(inspectors)),
  seal                text COLLATE "C",
  PRIMARY KEY (draw_id, enterprise_id)
);
CREATE INDEX draw_pick_by_firm ON draw_pick (enterprise_id);

-- What an inspection found; a violation may open a ledger item in the same transaction.
CREATE TABLE inspection_result (
  draw_id        bigint NOT NULL REFERENCES inspection_draw (id),
  enterprise_id  bigint NOT NULL REFERENCES enterprise (id),
  found_on       text COLLATE "C" NOT NULL CHECK (envreg_is_day(found_on)),
  finding        text COLLATE "C" NOT NULL CHECK (finding IN ('none', 'violation')),
  note           text COLLATE "C" NOT NULL DEFAULT '',
  ledger_item_id bigint REFERENCES ledger_item (id),
  audit_id       bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  PRIMARY KEY (draw_id, enterprise_id)
);

-- A firm's annual emissions of a pollutant (HW-6 weighs the listed reductions with them).
CREATE TABLE emission_baseline (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  enterprise_id bigint NOT NULL REFERENCES enterprise (id),
  pollutant     text COLLATE "C" NOT NULL CHECK (pollutant IN ('SO2', 'NOx', 'PM', 'VOCs')),
  year          bigint NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  kilograms     bigint NOT NULL CHECK (kilograms >= 0),
  reference     text COLLATE "C" NOT NULL,
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  UNIQUE (enterprise_id, pollutant, year)
);

-- Heavy-pollution-weather alerts (RULES §10, HW-1): a level over a region from a day, open until lifted.
CREATE TABLE weather_alert (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  region      text COLLATE "C" NOT NULL CHECK (length(region) IN (2, 4, 6) AND region !~ '[^0-9]'),
  level       text COLLATE "C" NOT NULL CHECK (level IN ('yellow', 'orange', 'red')),
  from_day    text COLLATE "C" NOT NULL CHECK (envreg_is_day(from_day)),
  to_day      text COLLATE "C" CHECK (to_day IS NULL OR (envreg_is_day(to_day) AND to_day >= from_day)),
  issuer      text COLLATE "C" NOT NULL,
  reference   text COLLATE "C" NOT NULL,
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX weather_alert_by_region ON weather_alert (region, from_day);

-- EIA approval service (RULES §11) ------------------------------------------------------------------

-- A construction project (建设项目) by its number; its facts are versions, never overwritten.
CREATE TABLE project (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  project_no  text COLLATE "C" NOT NULL UNIQUE CHECK (length(project_no) BETWEEN 1 AND 64),
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);

-- EA-1: one version of a project's facts, in force from `effective` (an update adds a version).
-- The builder is a credit code that need not be registered. Items are EDITION:ITEM:TYPE, ';'-joined.
CREATE TABLE project_version (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  project_id     bigint NOT NULL REFERENCES project (id),
  version        bigint NOT NULL CHECK (version >= 1),
  effective      text COLLATE "C" NOT NULL CHECK (envreg_is_day(effective)),
  name           text COLLATE "C" NOT NULL,
  builder_code   text COLLATE "C" NOT NULL CHECK (length(builder_code) = 18),
  builder_name   text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL CHECK (length(region_code) = 6 AND region_code !~ '[^0-9]'),
  industry_code  text COLLATE "C" NOT NULL,
  investment_fen bigint CHECK (investment_fen IS NULL OR investment_fen >= 0),
  items          text COLLATE "C" NOT NULL,
  sensitive      bigint CHECK (sensitive IS NULL OR sensitive IN (0, 1)),
  urgent         bigint CHECK (urgent IS NULL OR urgent IN (0, 1)),
  process        text COLLATE "C" NOT NULL CHECK (process IN ('fermentation', 'chemical-synthesis', 'electroplating', 'other', 'unknown')),
  route          text COLLATE "C" NOT NULL CHECK (route IN ('ordinary', 'commitment')),
  contact        text COLLATE "C" NOT NULL,
  audit_id       bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  UNIQUE (project_id, version)
);
CREATE INDEX project_version_by_region ON project_version (region_code);

-- EA-2: a project's dated entry on one of the three ledgers (三本台账).
CREATE TABLE project_listing (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  project_id  bigint NOT NULL REFERENCES project (id),
  ledger      text COLLATE "C" NOT NULL CHECK (ledger IN ('national', 'local', 'foreign')),
  reference   text COLLATE "C" NOT NULL,
  from_day    text COLLATE "C" NOT NULL CHECK (envreg_is_day(from_day)),
  to_day      text COLLATE "C" CHECK (to_day IS NULL OR (envreg_is_day(to_day) AND to_day >= from_day)),
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX project_listing_by_project ON project_listing (project_id);

-- EA-3..EA-7: the dated events of an approval; an interval (技术评估 …) has its last day.
CREATE TABLE approval_event (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  project_id  bigint NOT NULL REFERENCES project (id),
  kind        text COLLATE "C" NOT NULL CHECK (kind IN ('early-service', 'received', 'correction-notice', 'corrected', 'hearing', 'expert-review', 'technical-review', 'public-notice', 'approved', 'refused', 'withdrawn', 'filed', 'checked', 'revoked')),
  on_day      text COLLATE "C" NOT NULL CHECK (envreg_is_day(on_day)),
  to_day      text COLLATE "C" CHECK (to_day IS NULL OR (envreg_is_day(to_day) AND to_day >= on_day)),
  reference   text COLLATE "C" NOT NULL,
  note        text COLLATE "C" NOT NULL,
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX approval_event_by_project ON approval_event (project_id, on_day);

-- Accounts of the served registry (`envreg user`, `envreg serve`) -----------------------------------

-- A user: role and region decide what it may do (AccessRules in RegistryCore). The password is
-- kept as its bcrypt hash only; a disabled account is kept, never deleted, as its audit rows name it.
CREATE TABLE account (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name          text COLLATE "C" NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 32),
  role          text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'officer', 'viewer')),
  region_prefix text COLLATE "C" CHECK (region_prefix IS NULL OR (length(region_prefix) IN (2, 4, 6)
                  AND region_prefix !~ '[^0-9]')),
  password_hash text COLLATE "C" NOT NULL CHECK (password_hash ~ '^\$2[aby]\$'),
  created_at    text COLLATE "C" NOT NULL,
  disabled_at   text COLLATE "C",
  audit_id      bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C",
  CHECK (role <> 'officer' OR region_prefix IS NOT NULL)
);

-- A machine client's token, scoped like its account: only its SHA-256 is kept.
CREATE TABLE api_token (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  account_id  bigint NOT NULL REFERENCES account (id),
  token_hash  text COLLATE "C" NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  label       text COLLATE "C" NOT NULL,
  created_at  text COLLATE "C" NOT NULL,
  revoked_at  text COLLATE "C",
  audit_id    bigint NOT NULL REFERENCES audit (id),
  seal                text COLLATE "C"
);
CREATE INDEX api_token_by_account ON api_token (account_id);

INSERT INTO envreg_schema (version, application_id) VALUES (7, 1164857959);
