-- envreg schema, version 5. This file is the only schema: the binary embeds it at build time and
-- `envreg init` applies it. `PRAGMA user_version` records the version; each later version adds a
-- migration step in RegistryStore (Migrations.swift) that turns the previous version into this one.
-- Version 2 (rule book 2020.2): facts never supplied are NULL (unknown); the ID-7 code override;
-- canonical penalty decision numbers (ID-8); superseding fine arrangements; the GB/T 2260 history.
-- Version 3: every table but `audit` has a `seal`, the SHA-256 (HMAC-SHA-256 under ENVREG_AUDIT_KEY)
-- of the row's other values, written by envreg in the same statement or transaction as the row, so
-- `envreg audit verify` finds a row edited outside envreg (Seals.swift).
-- Version 4 (national scale): listings combining an industry with a region served by one index, and
-- names searched by index (`enterprise_name_index`, NameIndex.swift).
-- Version 5 (the served registry): accounts with roles and regions, and API tokens.
--
-- Conventions: STRICT tables; dates are TEXT 'YYYY-MM-DD', checked with date(x, '+0 days') = x, which
-- also refuses impossible days such as 2021-02-30 (plain date() passes them through unchanged);
-- timestamps are TEXT ISO 8601 UTC; money is INTEGER fen; enumerations are stable English tokens
-- checked here (the CLI accepts their Chinese names too). Nothing is deleted: history tables hold
-- every change, and every mutation writes an `audit` row in the same transaction.

PRAGMA foreign_keys = ON;

-- Reference data ---------------------------------------------------------------------------------

-- GB/T 2260 divisions, current and abolished (loaded at init from the bundled tables).
CREATE TABLE region (
  code         TEXT PRIMARY KEY CHECK (length(code) = 6 AND code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]'),
  name         TEXT NOT NULL,
  level        TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
  parent_code  TEXT,
  abolished_on TEXT CHECK (abolished_on IS NULL OR abolished_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  note         TEXT,
  seal                TEXT
) STRICT, WITHOUT ROWID;

-- GB/T 2260 history since 1980: one row per period a code was listed under one name (months).
-- Read by ID-3 (a credit code's registering authority may be any code ever in force) and by the
-- rule that a site's region is in force on the date it is used.
CREATE TABLE region_history (
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  level      TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
  from_month TEXT NOT NULL CHECK (from_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  to_month   TEXT CHECK (to_month IS NULL OR to_month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  successor  TEXT,
  seal                TEXT,
  PRIMARY KEY (code, from_month)
) STRICT, WITHOUT ROWID;

-- Versioned key-region sets (RULES §2). A division belongs to a set version when its code, or the
-- prefecture or province containing it, is a member.
CREATE TABLE region_set (
  set_key        TEXT NOT NULL CHECK (set_key IN ('jjj', 'yrd', 'fwp')),
  version        TEXT NOT NULL,
  name           TEXT NOT NULL,
  effective_from TEXT NOT NULL CHECK (date(effective_from, '+0 days') = effective_from),
  effective_to   TEXT CHECK (effective_to IS NULL OR date(effective_to, '+0 days') = effective_to),
  basis          TEXT NOT NULL,
  seal                TEXT,
  PRIMARY KEY (set_key, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE region_set_member (
  set_key     TEXT NOT NULL,
  version     TEXT NOT NULL,
  region_code TEXT NOT NULL,
  seal                TEXT,
  PRIMARY KEY (set_key, version, region_code),
  FOREIGN KEY (set_key, version) REFERENCES region_set (set_key, version)
) STRICT, WITHOUT ROWID;

-- GB/T 4754-2017 sections, divisions, groups and classes.
CREATE TABLE industry (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  level       TEXT NOT NULL CHECK (level IN ('section', 'division', 'group', 'class')),
  parent_code TEXT,
  seal                TEXT
) STRICT, WITHOUT ROWID;

-- Dated, jurisdiction-scoped policy parameters (RULES conventions). `value` is JSON.
CREATE TABLE policy_parameter (
  id             INTEGER PRIMARY KEY,
  key            TEXT NOT NULL,
  jurisdiction   TEXT NOT NULL CHECK (jurisdiction = 'national' OR jurisdiction GLOB '[0-9]*'),
  effective_from TEXT NOT NULL CHECK (date(effective_from, '+0 days') = effective_from),
  effective_to   TEXT CHECK (effective_to IS NULL OR date(effective_to, '+0 days') = effective_to),
  value          TEXT NOT NULL CHECK (json_valid(value)),
  reference      TEXT NOT NULL CHECK (length(reference) > 0),
  audit_id       INTEGER REFERENCES audit (id),
  seal                TEXT,
  UNIQUE (key, jurisdiction, effective_from),
  CHECK (effective_to IS NULL OR effective_to >= effective_from)
) STRICT;

-- Audit trail -------------------------------------------------------------------------------------

-- One row per mutation, written in the mutation's own transaction. `hash` chains each row to the one
-- before it (SHA-256 over the previous hash and this row's fields), so `envreg audit verify` detects
-- an edited or deleted row.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL CHECK (length(actor) > 0),
  action      TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_key  TEXT NOT NULL,
  before      TEXT CHECK (before IS NULL OR json_valid(before)),
  after       TEXT CHECK (after IS NULL OR json_valid(after)),
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL UNIQUE,
  os_user     TEXT, -- the operating-system user beside the self-declared actor (NULL on rows before version 2)
  keyed       INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1))  -- 1: hash is HMAC-SHA-256 under ENVREG_AUDIT_KEY
) STRICT;
CREATE INDEX audit_entity ON audit (entity_key, id);
CREATE INDEX audit_at ON audit (at);

-- Enterprises -------------------------------------------------------------------------------------

-- Enterprise imports (schema 3): a run stages its new firms in short transactions, each row naming
-- the run in `enterprise.pending`; they stay invisible to every read until one final transaction
-- marks the run done, so other writers wait seconds, not the whole import. A run whose process died
-- is abandoned (its rows deleted) by the next import or `envreg check`.
CREATE TABLE import_run (
  id              INTEGER PRIMARY KEY,
  state           TEXT NOT NULL CHECK (state IN ('staging', 'done', 'abandoned')),
  pid             INTEGER NOT NULL,
  file            TEXT NOT NULL,
  staged_audit_id INTEGER NOT NULL REFERENCES audit (id),
  ended_audit_id  INTEGER REFERENCES audit (id),
  seal                TEXT
) STRICT;

CREATE TABLE enterprise (
  id                  INTEGER PRIMARY KEY,
  credit_code         TEXT NOT NULL UNIQUE CHECK (length(credit_code) = 18),
  name                TEXT NOT NULL CHECK (length(name) > 0),
  region_code         TEXT NOT NULL REFERENCES region (code),
  industry_code       TEXT NOT NULL REFERENCES industry (code),
  process             TEXT NOT NULL DEFAULT 'unknown' CHECK (process IN ('fermentation', 'chemical-synthesis', 'electroplating', 'other', 'unknown')),
  fuel                TEXT NOT NULL DEFAULT 'unknown' CHECK (fuel IN ('coal', 'gas', 'oil', 'biomass', 'electric', 'other', 'none', 'unknown')),
  address             TEXT NOT NULL DEFAULT '',
  legal_rep           TEXT NOT NULL DEFAULT '',
  contact             TEXT NOT NULL DEFAULT '',
  key_discharge_unit  INTEGER CHECK (key_discharge_unit IN (0, 1)),                              -- NULL: unknown
  permit_class        TEXT CHECK (permit_class IN ('key', 'simplified', 'registration', 'none')),  -- NULL: unknown
  online_monitoring   TEXT CHECK (online_monitoring IN ('none', 'installed', 'networked')),        -- NULL: unknown
  grade               TEXT NOT NULL DEFAULT 'unrated' CHECK (grade IN ('A', 'leading', 'B', 'C', 'D', 'unrated')),
  credit_rating       TEXT NOT NULL DEFAULT 'unrated' CHECK (credit_rating IN ('green', 'blue', 'yellow', 'red', 'unrated')),
  facility_type       TEXT NOT NULL DEFAULT 'none' CHECK (facility_type IN ('none', 'msw-incineration', 'hazardous-waste', 'medical-waste', 'sewage-treatment', 'park-wastewater')),
  near_yangtze        INTEGER CHECK (near_yangtze IN (0, 1)),  -- NULL: not surveyed
  status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  closed_on           TEXT CHECK (closed_on IS NULL OR date(closed_on, '+0 days') = closed_on),
  closed_reason       TEXT,
  registered_on       TEXT NOT NULL CHECK (date(registered_on, '+0 days') = registered_on),
  -- ID-7: why a code whose only error is its check character was registered (NULL: the code conforms).
  code_override       TEXT CHECK (code_override IS NULL OR length(code_override) > 0),
  created_audit_id    INTEGER NOT NULL REFERENCES audit (id),
  updated_audit_id    INTEGER NOT NULL REFERENCES audit (id),
  pending             INTEGER REFERENCES import_run (id),  -- NULL, or the import run that staged it
  seal                TEXT,
  CHECK ((status = 'closed') = (closed_on IS NOT NULL))
) STRICT;
CREATE INDEX enterprise_region ON enterprise (region_code);
CREATE INDEX enterprise_industry_region ON enterprise (industry_code, region_code);
CREATE INDEX enterprise_name ON enterprise (name);
CREATE INDEX enterprise_permit_class ON enterprise (permit_class, region_code);
CREATE INDEX enterprise_grade ON enterprise (grade, region_code);
CREATE INDEX enterprise_status ON enterprise (status, region_code);
CREATE INDEX enterprise_pending ON enterprise (pending) WHERE pending IS NOT NULL;
CREATE INDEX enterprise_override ON enterprise (credit_code) WHERE code_override IS NOT NULL;

-- Name search: each character of a name is one token, its code point in hex (化工 → '5316 5de5'), so
-- any substring is a phrase query: MATCH '"5316 5de5"' finds the names instr(name, '化工') finds.
-- Contentless (rowid = enterprise.id; the names are in `enterprise`); envreg keeps it in step with
-- every write of a name in the same transaction (NameIndex.swift).
CREATE VIRTUAL TABLE enterprise_name_index USING fts5 (tokens, content = '', columnsize = 0, tokenize = 'ascii');

-- Every change of a fact, dated (RULES PM-6 reads name, address and legal_rep changes).
CREATE TABLE enterprise_change (
  id            INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  field         TEXT NOT NULL,
  old_value     TEXT,
  new_value     TEXT,
  effective_on  TEXT NOT NULL CHECK (date(effective_on, '+0 days') = effective_on),
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX enterprise_change_by_firm ON enterprise_change (enterprise_id, effective_on);
CREATE INDEX enterprise_change_by_field ON enterprise_change (field, effective_on);

CREATE TABLE designation (
  id            INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  kind          TEXT NOT NULL CHECK (kind IN ('epidemic-supplier', 'livelihood', 'low-pollution-high-employment', 'major-project', 'key-sector', 'key-component', 'special-material', 'epidemic-eia-project', 'sensitive-area', 'weather-guarantee')),
  granted_by    TEXT NOT NULL,
  valid_from    TEXT NOT NULL CHECK (date(valid_from, '+0 days') = valid_from),
  valid_until   TEXT CHECK (valid_until IS NULL OR date(valid_until, '+0 days') = valid_until),
  reference     TEXT NOT NULL DEFAULT '',
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK (valid_until IS NULL OR valid_until >= valid_from)
) STRICT;
CREATE INDEX designation_by_firm ON designation (enterprise_id, kind);

CREATE TABLE incident (
  id            INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  kind          TEXT NOT NULL CHECK (kind IN ('emergency', 'crime', 'serious-violation', 'penalty')),
  occurred_on   TEXT NOT NULL CHECK (date(occurred_on, '+0 days') = occurred_on),
  reference     TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX incident_by_firm ON incident (enterprise_id, kind, occurred_on);

-- Positive lists ----------------------------------------------------------------------------------

CREATE TABLE list_membership (
  id               INTEGER PRIMARY KEY,
  enterprise_id    INTEGER NOT NULL REFERENCES enterprise (id),
  list             TEXT NOT NULL CHECK (list IN ('inspection-exemption', 'eia-green-channel')),
  category         TEXT NOT NULL,
  admitted_on      TEXT NOT NULL CHECK (date(admitted_on, '+0 days') = admitted_on),
  valid_until      TEXT NOT NULL CHECK (date(valid_until, '+0 days') = valid_until),
  trace            TEXT NOT NULL CHECK (json_valid(trace)),
  admitted_by      TEXT NOT NULL,
  override_reason  TEXT,
  revoked_on       TEXT CHECK (revoked_on IS NULL OR date(revoked_on, '+0 days') = revoked_on),
  revoke_reason    TEXT,
  serious_violation INTEGER NOT NULL DEFAULT 0 CHECK (serious_violation IN (0, 1)),
  audit_id         INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK (valid_until > admitted_on),
  CHECK ((revoked_on IS NULL) = (revoke_reason IS NULL))
) STRICT;
CREATE INDEX list_membership_by_list ON list_membership (list, admitted_on, valid_until);
CREATE INDEX list_membership_by_firm ON list_membership (enterprise_id, list);

-- Permits -----------------------------------------------------------------------------------------

CREATE TABLE permit (
  id            INTEGER PRIMARY KEY,
  number        TEXT NOT NULL UNIQUE CHECK (length(number) = 22),
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  class         TEXT NOT NULL CHECK (class IN ('key', 'simplified', 'registration')),
  issued_on     TEXT NOT NULL CHECK (date(issued_on, '+0 days') = issued_on),
  valid_from    TEXT NOT NULL CHECK (date(valid_from, '+0 days') = valid_from),
  valid_to      TEXT NOT NULL CHECK (date(valid_to, '+0 days') = valid_to),
  superseded_by INTEGER REFERENCES permit (id),
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK (valid_to > valid_from)
) STRICT;
CREATE INDEX permit_by_firm ON permit (enterprise_id);
CREATE INDEX permit_by_valid_to ON permit (valid_to);

CREATE TABLE permit_event (
  id         INTEGER PRIMARY KEY,
  permit_id  INTEGER NOT NULL REFERENCES permit (id),
  kind       TEXT NOT NULL CHECK (kind IN ('renewal-applied', 'deferral-granted', 'change-filed', 'renewed', 'cancelled', 'revoked')),
  event_on   TEXT NOT NULL CHECK (date(event_on, '+0 days') = event_on),
  until_on   TEXT CHECK (until_on IS NULL OR date(until_on, '+0 days') = until_on),
  basis      TEXT NOT NULL DEFAULT '',
  approver   TEXT NOT NULL DEFAULT '',
  note       TEXT NOT NULL DEFAULT '',
  audit_id   INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK ((kind = 'deferral-granted') = (until_on IS NOT NULL))
) STRICT;
CREATE INDEX permit_event_by_permit ON permit_event (permit_id, kind, event_on);
-- The few deferred permits, found without a scan (the expiry notice and due read them apart).
CREATE INDEX permit_event_by_kind ON permit_event (kind, event_on, permit_id);

-- Fines -------------------------------------------------------------------------------------------

CREATE TABLE fine (
  id              INTEGER PRIMARY KEY,
  decision_number TEXT NOT NULL UNIQUE CHECK (length(decision_number) > 0),  -- as printed
  decision_key    TEXT NOT NULL UNIQUE CHECK (length(decision_key) > 0),     -- canonical form (ID-8)
  enterprise_id   INTEGER NOT NULL REFERENCES enterprise (id),
  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
  decided_on      TEXT NOT NULL CHECK (date(decided_on, '+0 days') = decided_on),
  received_on     TEXT NOT NULL CHECK (date(received_on, '+0 days') = received_on),
  law_version     TEXT NOT NULL CHECK (law_version IN ('2017', '2021')),
  legal_basis     TEXT NOT NULL DEFAULT '',
  audit_id        INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK (received_on >= decided_on)
) STRICT;
CREATE INDEX fine_by_firm ON fine (enterprise_id);
CREATE INDEX fine_by_received ON fine (received_on);

CREATE TABLE fine_arrangement (
  id          INTEGER PRIMARY KEY,
  fine_id     INTEGER NOT NULL REFERENCES fine (id),
  kind        TEXT NOT NULL CHECK (kind IN ('deferral', 'instalments')),
  applied_on  TEXT NOT NULL CHECK (date(applied_on, '+0 days') = applied_on),
  reason      TEXT NOT NULL,
  approver    TEXT NOT NULL,
  approved_on TEXT NOT NULL CHECK (date(approved_on, '+0 days') = approved_on),
  new_due_on  TEXT CHECK (new_due_on IS NULL OR date(new_due_on, '+0 days') = new_due_on),
  supersede_reason TEXT NOT NULL DEFAULT '',  -- why it replaces the arrangement before it (FN-2)
  audit_id    INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK ((kind = 'deferral') = (new_due_on IS NOT NULL))
) STRICT;
CREATE INDEX fine_arrangement_by_fine ON fine_arrangement (fine_id);

CREATE TABLE fine_instalment (
  id             INTEGER PRIMARY KEY,
  arrangement_id INTEGER NOT NULL REFERENCES fine_arrangement (id),
  seq            INTEGER NOT NULL CHECK (seq >= 1),
  due_on         TEXT NOT NULL CHECK (date(due_on, '+0 days') = due_on),
  amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
  seal                TEXT,
  UNIQUE (arrangement_id, seq)
) STRICT;
CREATE INDEX fine_instalment_by_due ON fine_instalment (due_on);

CREATE TABLE fine_payment (
  id         INTEGER PRIMARY KEY,
  fine_id    INTEGER NOT NULL REFERENCES fine (id),
  paid_on    TEXT NOT NULL CHECK (date(paid_on, '+0 days') = paid_on),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  reference  TEXT NOT NULL DEFAULT '',
  audit_id   INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX fine_payment_by_fine ON fine_payment (fine_id, paid_on);

CREATE TABLE fine_suspension (
  id        INTEGER PRIMARY KEY,
  fine_id   INTEGER NOT NULL REFERENCES fine (id),
  kind      TEXT NOT NULL CHECK (kind IN ('review', 'litigation')),
  from_on   TEXT NOT NULL CHECK (date(from_on, '+0 days') = from_on),
  to_on     TEXT CHECK (to_on IS NULL OR date(to_on, '+0 days') = to_on),
  audit_id  INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK (to_on IS NULL OR to_on >= from_on)
) STRICT;
CREATE INDEX fine_suspension_by_fine ON fine_suspension (fine_id);

-- Ultra-low-emission retrofits --------------------------------------------------------------------

CREATE TABLE retrofit (
  id                 INTEGER PRIMARY KEY,
  enterprise_id      INTEGER NOT NULL REFERENCES enterprise (id),
  facility           TEXT NOT NULL CHECK (length(facility) > 0),
  source_type        TEXT NOT NULL CHECK (source_type IN ('steel-sintering', 'steel-pelletising', 'steel-other', 'coal-boiler', 'gas-boiler', 'cement-kiln', 'ceramics-kiln')),
  capacity           REAL NOT NULL CHECK (capacity >= 0),
  capacity_unit      TEXT NOT NULL CHECK (capacity_unit IN ('t/h', 't/a', 'MW')),
  new_installation   INTEGER NOT NULL DEFAULT 0 CHECK (new_installation IN (0, 1)),
  planned_start      TEXT NOT NULL CHECK (date(planned_start, '+0 days') = planned_start),
  planned_completion TEXT NOT NULL CHECK (date(planned_completion, '+0 days') = planned_completion),
  -- The stage reached: kept equal to the latest retrofit_stage row in the same transaction, so
  -- that listings by stage use an index; retrofit_stage is the record.
  stage              TEXT NOT NULL DEFAULT 'planned' CHECK (stage IN ('planned', 'under-construction', 'completed', 'stable-operation', 'assessed', 'verified')),
  assessing_body     TEXT NOT NULL DEFAULT '',
  audit_id           INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  UNIQUE (enterprise_id, facility),
  CHECK (planned_completion >= planned_start)
) STRICT;
CREATE INDEX retrofit_by_stage ON retrofit (source_type, stage);

CREATE TABLE retrofit_stage (
  id          INTEGER PRIMARY KEY,
  retrofit_id INTEGER NOT NULL REFERENCES retrofit (id),
  stage       TEXT NOT NULL,
  entered_on  TEXT NOT NULL CHECK (date(entered_on, '+0 days') = entered_on),
  note        TEXT NOT NULL DEFAULT '',
  audit_id    INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX retrofit_stage_by_retrofit ON retrofit_stage (retrofit_id, entered_on);

CREATE TABLE measurement (
  id            INTEGER PRIMARY KEY,
  retrofit_id   INTEGER NOT NULL REFERENCES retrofit (id),
  pollutant     TEXT NOT NULL CHECK (pollutant IN ('PM', 'SO2', 'NOx')),
  concentration REAL NOT NULL CHECK (concentration >= 0),
  o2_percent    REAL NOT NULL CHECK (o2_percent >= 0 AND o2_percent < 21),
  measured_on   TEXT NOT NULL CHECK (date(measured_on, '+0 days') = measured_on),
  measured_by   TEXT NOT NULL,
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX measurement_by_retrofit ON measurement (retrofit_id, pollutant, measured_on);

-- Assistance ledger (企业环境治理问题台账) ---------------------------------------------------------

CREATE TABLE ledger_item (
  id                 INTEGER PRIMARY KEY,
  enterprise_id      INTEGER NOT NULL REFERENCES enterprise (id),
  source             TEXT NOT NULL CHECK (source IN ('帮扶', '执法检查', '在线监控预警', '信访举报', '企业自报', '督察', '疫情影响调查')),
  problem_type       TEXT NOT NULL CHECK (length(problem_type) > 0),
  description        TEXT NOT NULL CHECK (length(description) > 0),
  found_on           TEXT NOT NULL CHECK (date(found_on, '+0 days') = found_on),
  class              TEXT NOT NULL CHECK (class IN ('立行立改', '跟踪督办')),
  measures           TEXT NOT NULL DEFAULT '',
  responsible_unit   TEXT NOT NULL,
  responsible_person TEXT NOT NULL,
  due_on             TEXT NOT NULL CHECK (date(due_on, '+0 days') = due_on),
  -- State and closing date: kept equal to the latest ledger_entry in the same transaction, so that
  -- listings by state use an index; ledger_entry is the record (AL-4).
  state              TEXT NOT NULL DEFAULT '待整改' CHECK (state IN ('待整改', '整改中', '待验收', '已销号')),
  closed_on          TEXT CHECK (closed_on IS NULL OR date(closed_on, '+0 days') = closed_on),
  audit_id           INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK ((state = '已销号') = (closed_on IS NOT NULL))
) STRICT;
CREATE INDEX ledger_item_by_firm ON ledger_item (enterprise_id);
CREATE INDEX ledger_item_by_state ON ledger_item (state, due_on);

CREATE TABLE ledger_entry (
  id         INTEGER PRIMARY KEY,
  item_id    INTEGER NOT NULL REFERENCES ledger_item (id),
  entry_on   TEXT NOT NULL CHECK (date(entry_on, '+0 days') = entry_on),
  kind       TEXT NOT NULL CHECK (kind IN ('progress', 'transition', 'reopen')),
  from_state TEXT,
  to_state   TEXT,
  note       TEXT NOT NULL DEFAULT '',
  audit_id   INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX ledger_entry_by_item ON ledger_entry (item_id, entry_on, id);

-- 双随机 inspection draws (RULES §9) ------------------------------------------------------------

-- The roster (RD-4): an inspector is disabled, never deleted (draws name them).
CREATE TABLE inspector (
  id          INTEGER PRIMARY KEY,
  staff_no    TEXT NOT NULL UNIQUE CHECK (length(staff_no) BETWEEN 1 AND 32),
  name        TEXT NOT NULL,
  unit        TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES region (code),
  certificate TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  audit_id    INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;

-- A declared conflict of interest: the inspector is never drawn for the firm.
CREATE TABLE inspector_conflict (
  inspector_id  INTEGER NOT NULL REFERENCES inspector (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  reason        TEXT NOT NULL,
  declared_on   TEXT NOT NULL CHECK (date(declared_on, '+0 days') = declared_on),
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  PRIMARY KEY (inspector_id, enterprise_id)
) STRICT;

-- A draw (RD-3): its seed, the pool and roster it drew from and the quotas, each a JSON array of
-- tab-separated strings (README, "The inspection draw"), so anyone can replay it.
CREATE TABLE inspection_draw (
  id            INTEGER PRIMARY KEY,
  jurisdiction  TEXT NOT NULL CHECK (length(jurisdiction) IN (2, 4, 6) AND jurisdiction NOT GLOB '*[^0-9]*'),
  period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]Q[1-4]'),
  period_from   TEXT NOT NULL CHECK (date(period_from, '+0 days') = period_from),
  period_to     TEXT NOT NULL CHECK (date(period_to, '+0 days') = period_to),
  seed          TEXT NOT NULL CHECK (seed <> '' AND seed NOT GLOB '*[^0-9]*'),
  pool_snapshot TEXT NOT NULL CHECK (json_valid(pool_snapshot)),
  roster        TEXT NOT NULL CHECK (json_valid(roster)),
  quotas        TEXT NOT NULL CHECK (json_valid(quotas)),
  inspectors_per_firm INTEGER NOT NULL CHECK (inspectors_per_firm >= 1),
  drawn_on      TEXT NOT NULL CHECK (date(drawn_on, '+0 days') = drawn_on),
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX inspection_draw_by_period ON inspection_draw (period_from, period_to);

CREATE TABLE draw_pick (
  draw_id       INTEGER NOT NULL REFERENCES inspection_draw (id),
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  stratum       TEXT NOT NULL,
  inspectors    TEXT NOT NULL CHECK (json_valid(inspectors)),
  seal                TEXT,
  PRIMARY KEY (draw_id, enterprise_id)
) STRICT;
CREATE INDEX draw_pick_by_firm ON draw_pick (enterprise_id);

-- What an inspection found; a violation may open a ledger item in the same transaction.
CREATE TABLE inspection_result (
  draw_id        INTEGER NOT NULL REFERENCES inspection_draw (id),
  enterprise_id  INTEGER NOT NULL REFERENCES enterprise (id),
  found_on       TEXT NOT NULL CHECK (date(found_on, '+0 days') = found_on),
  finding        TEXT NOT NULL CHECK (finding IN ('none', 'violation')),
  note           TEXT NOT NULL DEFAULT '',
  ledger_item_id INTEGER REFERENCES ledger_item (id),
  audit_id       INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  PRIMARY KEY (draw_id, enterprise_id)
) STRICT;

-- A firm's annual emissions of a pollutant (HW-6 weighs the listed reductions with them).
CREATE TABLE emission_baseline (
  id            INTEGER PRIMARY KEY,
  enterprise_id INTEGER NOT NULL REFERENCES enterprise (id),
  pollutant     TEXT NOT NULL CHECK (pollutant IN ('SO2', 'NOx', 'PM', 'VOCs')),
  year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  kilograms     INTEGER NOT NULL CHECK (kilograms >= 0),
  reference     TEXT NOT NULL,
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  UNIQUE (enterprise_id, pollutant, year)
) STRICT;

-- Heavy-pollution-weather alerts (RULES §10, HW-1): a level over a region from a day, open until lifted.
CREATE TABLE weather_alert (
  id          INTEGER PRIMARY KEY,
  region      TEXT NOT NULL CHECK (length(region) IN (2, 4, 6) AND region NOT GLOB '*[^0-9]*'),
  level       TEXT NOT NULL CHECK (level IN ('yellow', 'orange', 'red')),
  from_day    TEXT NOT NULL CHECK (date(from_day, '+0 days') = from_day),
  to_day      TEXT CHECK (to_day IS NULL OR (date(to_day, '+0 days') = to_day AND to_day >= from_day)),
  issuer      TEXT NOT NULL,
  reference   TEXT NOT NULL,
  audit_id    INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX weather_alert_by_region ON weather_alert (region, from_day);

-- Accounts of the served registry (`envreg user`, `envreg serve`) -----------------------------------

-- A user: role and region decide what it may do (AccessRules in RegistryCore). The password is
-- kept as its bcrypt hash only; a disabled account is kept, never deleted, as its audit rows name it.
CREATE TABLE account (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 32),
  role          TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'viewer')),
  region_prefix TEXT CHECK (region_prefix IS NULL OR (length(region_prefix) IN (2, 4, 6)
                  AND region_prefix NOT GLOB '*[^0-9]*')),
  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$2[aby]$*'),
  created_at    TEXT NOT NULL,
  disabled_at   TEXT,
  audit_id      INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT,
  CHECK (role <> 'officer' OR region_prefix IS NOT NULL)
) STRICT;

-- A machine client's token, scoped like its account: only its SHA-256 is kept.
CREATE TABLE api_token (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES account (id),
  token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  label       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT,
  audit_id    INTEGER NOT NULL REFERENCES audit (id),
  seal                TEXT
) STRICT;
CREATE INDEX api_token_by_account ON api_token (account_id);

PRAGMA application_id = 1164857959;  -- "EnRg": Store.applicationID
PRAGMA user_version = 6;
