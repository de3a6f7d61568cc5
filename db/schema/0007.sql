-- index ix_action_item_gift_basket_id
CREATE INDEX ix_action_item_gift_basket_id ON action_item (gift_basket_id);

-- index ix_action_item_sensitivity
CREATE INDEX ix_action_item_sensitivity ON action_item (sensitivity);

-- index ix_agency_contact_agency_id
CREATE INDEX ix_agency_contact_agency_id ON agency_contact (agency_id);

-- index ix_agency_contact_sensitivity
CREATE INDEX ix_agency_contact_sensitivity ON agency_contact (sensitivity);

-- index ix_agency_sensitivity
CREATE INDEX ix_agency_sensitivity ON agency (sensitivity);

-- index ix_audit_entry_at
CREATE INDEX ix_audit_entry_at ON audit_entry (at);

-- index ix_audit_entry_operation_id
CREATE INDEX ix_audit_entry_operation_id ON audit_entry (operation_id);

-- index ix_audit_entry_record_uuid_field
CREATE INDEX ix_audit_entry_record_uuid_field ON audit_entry (record_uuid, field);

-- index ix_audit_entry_revision
CREATE INDEX ix_audit_entry_revision ON audit_entry (revision);

-- index ix_baseline_sensitivity
CREATE INDEX ix_baseline_sensitivity ON baseline (sensitivity);

-- index ix_changes_conflict_record_uuid
CREATE INDEX ix_changes_conflict_record_uuid ON changes_conflict (record_uuid);

-- index ix_citation_source_id
CREATE INDEX ix_citation_source_id ON citation (source_id);

-- index ix_citation_subject_uuid
CREATE INDEX ix_citation_subject_uuid ON citation (subject_uuid);

-- index ix_commitment_agency_agency_id
CREATE INDEX ix_commitment_agency_agency_id ON commitment_agency (agency_id);

-- index ix_commitment_appearance_commitment_id
CREATE INDEX ix_commitment_appearance_commitment_id ON commitment_appearance (commitment_id);

-- index ix_commitment_gift_basket_gift_basket_id
CREATE INDEX ix_commitment_gift_basket_gift_basket_id ON commitment_gift_basket (gift_basket_id);

-- index ix_commitment_instrument_instrument_id
CREATE INDEX ix_commitment_instrument_instrument_id ON commitment_instrument (instrument_id);

-- index ix_commitment_lead_agency_id
CREATE INDEX ix_commitment_lead_agency_id ON commitment (lead_agency_id);

-- index ix_commitment_sensitivity
CREATE INDEX ix_commitment_sensitivity ON commitment (sensitivity);

-- index ix_commitment_theme_theme_id
CREATE INDEX ix_commitment_theme_theme_id ON commitment_theme (theme_id);

-- index ix_deadline_sensitivity
CREATE INDEX ix_deadline_sensitivity ON deadline (sensitivity);

-- index ix_document_event_id
CREATE INDEX ix_document_event_id ON document (event_id);

-- index ix_document_sensitivity
CREATE INDEX ix_document_sensitivity ON document (sensitivity);

-- index ix_event_sensitivity
CREATE INDEX ix_event_sensitivity ON event (sensitivity);

-- index ix_gift_basket_event_id
CREATE INDEX ix_gift_basket_event_id ON gift_basket (event_id);

-- index ix_gift_basket_sensitivity
CREATE INDEX ix_gift_basket_sensitivity ON gift_basket (sensitivity);

-- index ix_import_batch_operation_id
CREATE INDEX ix_import_batch_operation_id ON import_batch (operation_id);

-- index ix_instrument_sensitivity
CREATE INDEX ix_instrument_sensitivity ON instrument (sensitivity);

-- index ix_membership_snapshot_gift_basket_id
CREATE INDEX ix_membership_snapshot_gift_basket_id ON membership_snapshot (gift_basket_id);

-- index ix_membership_snapshot_instrument_id
CREATE INDEX ix_membership_snapshot_instrument_id ON membership_snapshot (instrument_id);

-- index ix_milestone_catalogue_key
CREATE UNIQUE INDEX ix_milestone_catalogue_key ON milestone (catalogue_key);

-- index ix_milestone_participation_id
CREATE INDEX ix_milestone_participation_id ON milestone (participation_id);

-- index ix_milestone_sensitivity
CREATE INDEX ix_milestone_sensitivity ON milestone (sensitivity);

-- index ix_participation_catalogue_key
CREATE UNIQUE INDEX ix_participation_catalogue_key ON participation (catalogue_key);

-- index ix_participation_instrument_id
CREATE INDEX ix_participation_instrument_id ON participation (instrument_id);

-- index ix_participation_party_id
CREATE INDEX ix_participation_party_id ON participation (party_id);

-- index ix_participation_sensitivity
CREATE INDEX ix_participation_sensitivity ON participation (sensitivity);

-- index ix_record_alias_alias
CREATE INDEX ix_record_alias_alias ON record_alias (alias);

-- index ix_record_alias_record_uuid
CREATE INDEX ix_record_alias_record_uuid ON record_alias (record_uuid);

-- index ix_reporting_obligation_instrument_id
CREATE INDEX ix_reporting_obligation_instrument_id ON reporting_obligation (instrument_id);

-- index ix_reporting_obligation_sensitivity
CREATE INDEX ix_reporting_obligation_sensitivity ON reporting_obligation (sensitivity);

-- index ix_scheme_area_scheme_id
CREATE INDEX ix_scheme_area_scheme_id ON scheme_area (scheme_id);

-- index ix_status_entry_commitment_date
CREATE INDEX ix_status_entry_commitment_date ON status_entry (commitment_id, entry_date, id);

-- index ix_status_entry_import_batch_id
CREATE INDEX ix_status_entry_import_batch_id ON status_entry (import_batch_id);

-- index ix_status_entry_sensitivity
CREATE INDEX ix_status_entry_sensitivity ON status_entry (sensitivity);

-- index ix_target_commitment_id
CREATE INDEX ix_target_commitment_id ON target (commitment_id);

-- index ix_target_due_by
CREATE INDEX ix_target_due_by ON target (due_by);

-- index ix_target_sensitivity
CREATE INDEX ix_target_sensitivity ON target (sensitivity);

-- table action_item
CREATE TABLE action_item (
	ref VARCHAR(16) NOT NULL, 
	gift_basket_id INTEGER NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	description TEXT, 
	agency_id INTEGER, 
	due VARCHAR(10), 
	status VARCHAR(40) NOT NULL, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT fk_action_item_agency_id_agency FOREIGN KEY(agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_action_item_gift_basket_id_gift_basket FOREIGN KEY(gift_basket_id) REFERENCES gift_basket (id), 
	CONSTRAINT fk_action_item_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_action_item PRIMARY KEY (id), 
	CONSTRAINT uq_action_item_ref UNIQUE (ref), 
	CONSTRAINT uq_action_item_uuid UNIQUE (uuid)
);

-- table agency
CREATE TABLE agency (
	code VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	parent_id INTEGER, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT fk_agency_parent_id_agency FOREIGN KEY(parent_id) REFERENCES agency (id), 
	CONSTRAINT fk_agency_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_agency PRIMARY KEY (id), 
	CONSTRAINT uq_agency_code UNIQUE (code), 
	CONSTRAINT uq_agency_uuid UNIQUE (uuid)
);

-- table agency_contact
CREATE TABLE agency_contact (
	agency_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(200), 
	email VARCHAR(200), 
	phone VARCHAR(40), 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT fk_agency_contact_agency_id_agency FOREIGN KEY(agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_agency_contact_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_agency_contact PRIMARY KEY (id), 
	CONSTRAINT uq_agency_contact_uuid UNIQUE (uuid)
);

-- table alembic_version
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- table audit_entry
CREATE TABLE "audit_entry" (
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(120) NOT NULL, 
	channel VARCHAR(40) NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	record_table VARCHAR(40) NOT NULL, 
	record_uuid VARCHAR(36) NOT NULL, 
	record_label VARCHAR(200), 
	field VARCHAR(60), 
	old_value JSON, 
	new_value JSON, 
	operation_id VARCHAR(36) NOT NULL, 
	note TEXT, 
	revision INTEGER NOT NULL, 
	parent_uuid VARCHAR(36), 
	replica_id VARCHAR(36) NOT NULL, 
	hlc VARCHAR(64) NOT NULL, refs JSON, also_replaces JSON, 
	CONSTRAINT pk_audit_entry PRIMARY KEY (id), 
	CONSTRAINT uq_audit_entry_uuid UNIQUE (uuid)
);

-- table baseline
CREATE TABLE "baseline" (
	name VARCHAR(200) NOT NULL, 
	as_of DATE NOT NULL, 
	event_id INTEGER, 
	description TEXT, 
	payload_version INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	sensitivity VARCHAR(32) NOT NULL, 
	CONSTRAINT fk_baseline_event_id_event FOREIGN KEY(event_id) REFERENCES event (id), 
	CONSTRAINT fk_baseline_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_baseline PRIMARY KEY (id), 
	CONSTRAINT uq_baseline_name UNIQUE (name), 
	CONSTRAINT uq_baseline_uuid UNIQUE (uuid)
);

-- table baseline_item
CREATE TABLE baseline_item (
	id INTEGER NOT NULL, 
	baseline_id INTEGER NOT NULL, 
	record_table VARCHAR(40) NOT NULL, 
	record_uuid VARCHAR(36) NOT NULL, 
	record_ref VARCHAR(40), 
	payload JSON NOT NULL, 
	CONSTRAINT fk_baseline_item_baseline_id_baseline FOREIGN KEY(baseline_id) REFERENCES baseline (id) ON DELETE CASCADE, 
	CONSTRAINT pk_baseline_item PRIMARY KEY (id), 
	CONSTRAINT uq_baseline_item_baseline_id_record_uuid UNIQUE (baseline_id, record_uuid)
);

-- table briefing_profile
CREATE TABLE briefing_profile (
	name VARCHAR(200) NOT NULL, 
	sections JSON NOT NULL, 
	options JSON, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT pk_briefing_profile PRIMARY KEY (id), 
	CONSTRAINT uq_briefing_profile_name UNIQUE (name), 
	CONSTRAINT uq_briefing_profile_uuid UNIQUE (uuid)
);

-- table changes_conflict
CREATE TABLE changes_conflict (
	id INTEGER NOT NULL, 
	kind VARCHAR(12) NOT NULL, 
	record_table VARCHAR(40) NOT NULL, 
	record_uuid VARCHAR(36) NOT NULL, 
	field VARCHAR(60), 
	heads JSON, 
	kept_uuid VARCHAR(36), 
	other_uuid VARCHAR(36), 
	provisional VARCHAR(80), 
	note TEXT, 
	detected_at DATETIME NOT NULL, 
	received_id INTEGER, 
	resolved_at DATETIME, 
	resolved_by VARCHAR(120), 
	resolution VARCHAR(20), 
	resolution_uuid VARCHAR(36), 
	CONSTRAINT fk_changes_conflict_received_id_changes_received FOREIGN KEY(received_id) REFERENCES changes_received (id), 
	CONSTRAINT pk_changes_conflict PRIMARY KEY (id)
);

-- table changes_received
CREATE TABLE changes_received (
	id INTEGER NOT NULL, 
	file_id VARCHAR(36) NOT NULL, 
	file_name VARCHAR(260) NOT NULL, 
	digest VARCHAR(64) NOT NULL, 
	fingerprint VARCHAR(39) NOT NULL, 
	sender_replica VARCHAR(36) NOT NULL, 
	received_at DATETIME NOT NULL, 
	actor VARCHAR(120) NOT NULL, knows JSON, revision INTEGER, operation_id VARCHAR(36), counts JSON, journal JSON, undone_at DATETIME, undone_by VARCHAR(120), undo_revision INTEGER, 
	CONSTRAINT pk_changes_received PRIMARY KEY (id), 
	CONSTRAINT uq_changes_received_file_id UNIQUE (file_id)
);

-- table changes_trust
CREATE TABLE changes_trust (
	fingerprint VARCHAR(39) NOT NULL, 
	label VARCHAR(200), 
	trusted_at DATETIME, 
	trusted_by VARCHAR(120), 
	revoked_at DATETIME, 
	revoked_by VARCHAR(120), 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_changes_trust PRIMARY KEY (id), 
	CONSTRAINT uq_changes_trust_fingerprint UNIQUE (fingerprint), 
	CONSTRAINT uq_changes_trust_uuid UNIQUE (uuid)
);

-- table citation
CREATE TABLE citation (
	source_id INTEGER NOT NULL, 
	subject_table VARCHAR(40) NOT NULL, 
	subject_uuid VARCHAR(36) NOT NULL, 
	field VARCHAR(60), 
	note TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT fk_citation_source_id_source FOREIGN KEY(source_id) REFERENCES source (id), 
	CONSTRAINT pk_citation PRIMARY KEY (id), 
	CONSTRAINT uq_citation_uuid UNIQUE (uuid)
);

-- table column_mapping
CREATE TABLE column_mapping (
	source_key VARCHAR(200) NOT NULL, 
	mapping JSON NOT NULL, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_column_mapping PRIMARY KEY (id), 
	CONSTRAINT uq_column_mapping_source_key UNIQUE (source_key), 
	CONSTRAINT uq_column_mapping_uuid UNIQUE (uuid)
);

-- table commitment
CREATE TABLE commitment (
	ref VARCHAR(16) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	text TEXT, 
	origin_event_id INTEGER, 
	origin_document_id INTEGER, 
	origin_clause VARCHAR(80), 
	pledged_on VARCHAR(10), 
	lead_agency_id INTEGER, 
	priority VARCHAR(40) NOT NULL, 
	next_steps TEXT, 
	talking_points TEXT, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT fk_commitment_lead_agency_id_agency FOREIGN KEY(lead_agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_commitment_origin_document_id_document FOREIGN KEY(origin_document_id) REFERENCES document (id), 
	CONSTRAINT fk_commitment_origin_event_id_event FOREIGN KEY(origin_event_id) REFERENCES event (id), 
	CONSTRAINT fk_commitment_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_commitment PRIMARY KEY (id), 
	CONSTRAINT uq_commitment_ref UNIQUE (ref), 
	CONSTRAINT uq_commitment_uuid UNIQUE (uuid)
);

-- table commitment_agency
CREATE TABLE commitment_agency (
	commitment_id INTEGER NOT NULL, 
	agency_id INTEGER NOT NULL, 
	CONSTRAINT fk_commitment_agency_agency_id_agency FOREIGN KEY(agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_commitment_agency_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id) ON DELETE CASCADE, 
	CONSTRAINT pk_commitment_agency PRIMARY KEY (commitment_id, agency_id)
);

-- table commitment_appearance
CREATE TABLE commitment_appearance (
	commitment_id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	clause VARCHAR(80), 
	note TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT fk_commitment_appearance_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id), 
	CONSTRAINT fk_commitment_appearance_document_id_document FOREIGN KEY(document_id) REFERENCES document (id), 
	CONSTRAINT pk_commitment_appearance PRIMARY KEY (id), 
	CONSTRAINT uq_commitment_appearance_uuid UNIQUE (uuid)
);

-- table commitment_gift_basket
CREATE TABLE commitment_gift_basket (
	commitment_id INTEGER NOT NULL, 
	gift_basket_id INTEGER NOT NULL, 
	CONSTRAINT fk_commitment_gift_basket_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id) ON DELETE CASCADE, 
	CONSTRAINT fk_commitment_gift_basket_gift_basket_id_gift_basket FOREIGN KEY(gift_basket_id) REFERENCES gift_basket (id), 
	CONSTRAINT pk_commitment_gift_basket PRIMARY KEY (commitment_id, gift_basket_id)
);

-- table commitment_instrument
CREATE TABLE commitment_instrument (
	commitment_id INTEGER NOT NULL, 
	instrument_id INTEGER NOT NULL, 
	CONSTRAINT fk_commitment_instrument_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id) ON DELETE CASCADE, 
	CONSTRAINT fk_commitment_instrument_instrument_id_instrument FOREIGN KEY(instrument_id) REFERENCES instrument (id), 
	CONSTRAINT pk_commitment_instrument PRIMARY KEY (commitment_id, instrument_id)
);

-- table commitment_theme
CREATE TABLE commitment_theme (
	commitment_id INTEGER NOT NULL, 
	theme_id INTEGER NOT NULL, 
	CONSTRAINT fk_commitment_theme_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id) ON DELETE CASCADE, 
	CONSTRAINT fk_commitment_theme_theme_id_theme FOREIGN KEY(theme_id) REFERENCES theme (id), 
	CONSTRAINT pk_commitment_theme PRIMARY KEY (commitment_id, theme_id)
);

-- table deadline
CREATE TABLE deadline (
	description TEXT NOT NULL, 
	due VARCHAR(10) NOT NULL, 
	event_id INTEGER, 
	document_id INTEGER, 
	instrument_id INTEGER, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT fk_deadline_document_id_document FOREIGN KEY(document_id) REFERENCES document (id), 
	CONSTRAINT fk_deadline_event_id_event FOREIGN KEY(event_id) REFERENCES event (id), 
	CONSTRAINT fk_deadline_instrument_id_instrument FOREIGN KEY(instrument_id) REFERENCES instrument (id), 
	CONSTRAINT fk_deadline_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_deadline PRIMARY KEY (id), 
	CONSTRAINT uq_deadline_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_deadline_uuid UNIQUE (uuid)
);

-- table desk_replica
CREATE TABLE desk_replica (
	replica_id VARCHAR(36) NOT NULL, 
	role VARCHAR(12) NOT NULL, 
	label VARCHAR(200), 
	first_seen DATETIME NOT NULL, 
	CONSTRAINT pk_desk_replica PRIMARY KEY (replica_id)
);

-- table desk_revision
CREATE TABLE desk_revision (
	id INTEGER NOT NULL, 
	value INTEGER NOT NULL, 
	CONSTRAINT ck_desk_revision_single_row CHECK (id = 1), 
	CONSTRAINT pk_desk_revision PRIMARY KEY (id)
);

-- table desk_settings
CREATE TABLE desk_settings (
	own_state_id INTEGER NOT NULL, 
	delegation VARCHAR(200), 
	default_sensitivity VARCHAR(32) NOT NULL, 
	is_demo BOOLEAN NOT NULL, 
	catalogue_version VARCHAR(40), 
	catalogue_as_of VARCHAR(10), 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, prepared_by VARCHAR(200), 
	CONSTRAINT ck_desk_settings_single_row CHECK (id = 1), 
	CONSTRAINT fk_desk_settings_default_sensitivity_marking_level FOREIGN KEY(default_sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT fk_desk_settings_own_state_id_party FOREIGN KEY(own_state_id) REFERENCES party (id), 
	CONSTRAINT pk_desk_settings PRIMARY KEY (id), 
	CONSTRAINT uq_desk_settings_uuid UNIQUE (uuid)
);

-- table document
CREATE TABLE document (
	kind VARCHAR(40) NOT NULL, 
	title TEXT NOT NULL, 
	event_id INTEGER, 
	issued_by_party_id INTEGER, 
	issued_on VARCHAR(10), 
	citation VARCHAR(80), 
	url TEXT, 
	text TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT fk_document_event_id_event FOREIGN KEY(event_id) REFERENCES event (id), 
	CONSTRAINT fk_document_issued_by_party_id_party FOREIGN KEY(issued_by_party_id) REFERENCES party (id), 
	CONSTRAINT fk_document_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_document PRIMARY KEY (id), 
	CONSTRAINT uq_document_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_document_uuid UNIQUE (uuid)
);

-- table event
CREATE TABLE event (
	code VARCHAR(40) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	start_date VARCHAR(10), 
	end_date VARCHAR(10), 
	city VARCHAR(200), 
	venue VARCHAR(200), 
	host_party_id INTEGER, 
	participating_states INTEGER, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT fk_event_host_party_id_party FOREIGN KEY(host_party_id) REFERENCES party (id), 
	CONSTRAINT fk_event_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_event PRIMARY KEY (id), 
	CONSTRAINT uq_event_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_event_code UNIQUE (code), 
	CONSTRAINT uq_event_uuid UNIQUE (uuid)
);

-- table external_scheme
CREATE TABLE external_scheme (
	code VARCHAR(60) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT pk_external_scheme PRIMARY KEY (id), 
	CONSTRAINT uq_external_scheme_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_external_scheme_code UNIQUE (code), 
	CONSTRAINT uq_external_scheme_uuid UNIQUE (uuid)
);

-- table fts_agency
CREATE VIRTUAL TABLE fts_agency USING fts5(code, name, notes, content='agency', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

-- table fts_agency_config
CREATE TABLE 'fts_agency_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table fts_agency_data
CREATE TABLE 'fts_agency_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table fts_agency_docsize
CREATE TABLE 'fts_agency_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table fts_agency_idx
CREATE TABLE 'fts_agency_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table fts_commitment
CREATE VIRTUAL TABLE fts_commitment USING fts5(ref, title, text, content='commitment', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

-- table fts_commitment_config
CREATE TABLE 'fts_commitment_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table fts_commitment_data
CREATE TABLE 'fts_commitment_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table fts_commitment_docsize
CREATE TABLE 'fts_commitment_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table fts_commitment_idx
CREATE TABLE 'fts_commitment_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table fts_document
CREATE VIRTUAL TABLE fts_document USING fts5(title, citation, text, content='document', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

-- table fts_document_config
CREATE TABLE 'fts_document_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table fts_document_data
CREATE TABLE 'fts_document_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table fts_document_docsize
CREATE TABLE 'fts_document_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table fts_document_idx
CREATE TABLE 'fts_document_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table fts_gift_basket
CREATE VIRTUAL TABLE fts_gift_basket USING fts5(code, title, summary, text, content='gift_basket', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

-- table fts_gift_basket_config
CREATE TABLE 'fts_gift_basket_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table fts_gift_basket_data
CREATE TABLE 'fts_gift_basket_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table fts_gift_basket_docsize
CREATE TABLE 'fts_gift_basket_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table fts_gift_basket_idx
CREATE TABLE 'fts_gift_basket_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table fts_status_entry
CREATE VIRTUAL TABLE fts_status_entry USING fts5(narrative, evidence, content='status_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 2');

-- table fts_status_entry_config
CREATE TABLE 'fts_status_entry_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table fts_status_entry_data
CREATE TABLE 'fts_status_entry_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table fts_status_entry_docsize
CREATE TABLE 'fts_status_entry_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table fts_status_entry_idx
CREATE TABLE 'fts_status_entry_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table gift_basket
CREATE TABLE gift_basket (
	code VARCHAR(60) NOT NULL, 
	title TEXT NOT NULL, 
	event_id INTEGER, 
	document_id INTEGER, 
	instrument_id INTEGER, 
	issued_on VARCHAR(10), 
	infcirc VARCHAR(40), 
	summary TEXT, 
	text TEXT, 
	own_role VARCHAR(40) NOT NULL, 
	own_role_note TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT fk_gift_basket_document_id_document FOREIGN KEY(document_id) REFERENCES document (id), 
	CONSTRAINT fk_gift_basket_event_id_event FOREIGN KEY(event_id) REFERENCES event (id), 
	CONSTRAINT fk_gift_basket_instrument_id_instrument FOREIGN KEY(instrument_id) REFERENCES instrument (id), 
	CONSTRAINT fk_gift_basket_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_gift_basket PRIMARY KEY (id), 
	CONSTRAINT uq_gift_basket_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_gift_basket_code UNIQUE (code), 
	CONSTRAINT uq_gift_basket_uuid UNIQUE (uuid)
);

-- table gift_basket_lead
CREATE TABLE gift_basket_lead (
	gift_basket_id INTEGER NOT NULL, 
	party_id INTEGER NOT NULL, 
	CONSTRAINT fk_gift_basket_lead_gift_basket_id_gift_basket FOREIGN KEY(gift_basket_id) REFERENCES gift_basket (id) ON DELETE CASCADE, 
	CONSTRAINT fk_gift_basket_lead_party_id_party FOREIGN KEY(party_id) REFERENCES party (id), 
	CONSTRAINT pk_gift_basket_lead PRIMARY KEY (gift_basket_id, party_id)
);

-- table gift_basket_theme
CREATE TABLE gift_basket_theme (
	gift_basket_id INTEGER NOT NULL, 
	theme_id INTEGER NOT NULL, 
	CONSTRAINT fk_gift_basket_theme_gift_basket_id_gift_basket FOREIGN KEY(gift_basket_id) REFERENCES gift_basket (id) ON DELETE CASCADE, 
	CONSTRAINT fk_gift_basket_theme_theme_id_theme FOREIGN KEY(theme_id) REFERENCES theme (id), 
	CONSTRAINT pk_gift_basket_theme PRIMARY KEY (gift_basket_id, theme_id)
);

-- table import_batch
CREATE TABLE import_batch (
	file_name VARCHAR(260) NOT NULL, 
	file_sha256 VARCHAR(64) NOT NULL, 
	workbook_kind VARCHAR(40) NOT NULL, 
	agency_id INTEGER, 
	export_id VARCHAR(36), 
	imported_at DATETIME NOT NULL, 
	actor VARCHAR(120) NOT NULL, 
	operation_id VARCHAR(36) NOT NULL, 
	counts JSON, 
	undone_at DATETIME, 
	undo_operation_id VARCHAR(36), 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT fk_import_batch_agency_id_agency FOREIGN KEY(agency_id) REFERENCES agency (id), 
	CONSTRAINT pk_import_batch PRIMARY KEY (id), 
	CONSTRAINT uq_import_batch_uuid UNIQUE (uuid)
);

-- table instrument
CREATE TABLE instrument (
	code VARCHAR(40) NOT NULL, 
	name TEXT NOT NULL, 
	short_name VARCHAR(80) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	mechanism VARCHAR(40) NOT NULL, 
	binding BOOLEAN NOT NULL, 
	adopted VARCHAR(10), 
	opened_for_signature VARCHAR(10), 
	entered_into_force VARCHAR(10), 
	entry_into_force_condition TEXT, 
	depositary VARCHAR(200), 
	scope TEXT, 
	participation_model TEXT, 
	reporting_summary TEXT, 
	text_reference VARCHAR(80), 
	url TEXT, 
	amends_id INTEGER, 
	supplements_id INTEGER, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT fk_instrument_amends_id_instrument FOREIGN KEY(amends_id) REFERENCES instrument (id), 
	CONSTRAINT fk_instrument_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT fk_instrument_supplements_id_instrument FOREIGN KEY(supplements_id) REFERENCES instrument (id), 
	CONSTRAINT pk_instrument PRIMARY KEY (id), 
	CONSTRAINT uq_instrument_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_instrument_code UNIQUE (code), 
	CONSTRAINT uq_instrument_uuid UNIQUE (uuid)
);

-- table marking_level
CREATE TABLE marking_level (
	code VARCHAR(32) NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	rank INTEGER NOT NULL, 
	label VARCHAR(80) NOT NULL, 
	description TEXT, 
	CONSTRAINT pk_marking_level PRIMARY KEY (code), 
	CONSTRAINT uq_marking_level_rank UNIQUE (rank), 
	CONSTRAINT uq_marking_level_uuid UNIQUE (uuid)
);

-- table membership_snapshot
CREATE TABLE membership_snapshot (
	instrument_id INTEGER, 
	gift_basket_id INTEGER, 
	snapshot_date VARCHAR(10), 
	member_count INTEGER, 
	observer_count INTEGER, 
	description TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, signatory_count INTEGER, includes_organisations BOOLEAN, member_list_complete BOOLEAN, 
	CONSTRAINT ck_membership_snapshot_one_subject CHECK ((instrument_id IS NULL) <> (gift_basket_id IS NULL)), 
	CONSTRAINT fk_membership_snapshot_gift_basket_id_gift_basket FOREIGN KEY(gift_basket_id) REFERENCES gift_basket (id), 
	CONSTRAINT fk_membership_snapshot_instrument_id_instrument FOREIGN KEY(instrument_id) REFERENCES instrument (id), 
	CONSTRAINT pk_membership_snapshot PRIMARY KEY (id), 
	CONSTRAINT uq_membership_snapshot_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_membership_snapshot_uuid UNIQUE (uuid)
);

-- table membership_snapshot_party
CREATE TABLE membership_snapshot_party (
	snapshot_id INTEGER NOT NULL, 
	party_id INTEGER NOT NULL, 
	CONSTRAINT fk_membership_snapshot_party_party_id_party FOREIGN KEY(party_id) REFERENCES party (id), 
	CONSTRAINT fk_membership_snapshot_party_snapshot_id_membership_snapshot FOREIGN KEY(snapshot_id) REFERENCES membership_snapshot (id) ON DELETE CASCADE, 
	CONSTRAINT pk_membership_snapshot_party PRIMARY KEY (snapshot_id, party_id)
);

-- table milestone
CREATE TABLE milestone (
	participation_id INTEGER NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	planned VARCHAR(10), 
	actual VARCHAR(10), 
	responsible_agency_id INTEGER, 
	reference VARCHAR(200), 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, catalogue_key VARCHAR(80), confidence VARCHAR(40), as_of VARCHAR(10), catalogue_values JSON, 
	CONSTRAINT fk_milestone_participation_id_participation FOREIGN KEY(participation_id) REFERENCES participation (id), 
	CONSTRAINT fk_milestone_responsible_agency_id_agency FOREIGN KEY(responsible_agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_milestone_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_milestone PRIMARY KEY (id), 
	CONSTRAINT uq_milestone_uuid UNIQUE (uuid)
);

-- table participation
CREATE TABLE participation (
	party_id INTEGER NOT NULL, 
	instrument_id INTEGER NOT NULL, 
	reservations TEXT, 
	declarations TEXT, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, catalogue_key VARCHAR(80), confidence VARCHAR(40), as_of VARCHAR(10), catalogue_values JSON, listed_standing VARCHAR(40), 
	CONSTRAINT fk_participation_instrument_id_instrument FOREIGN KEY(instrument_id) REFERENCES instrument (id), 
	CONSTRAINT fk_participation_party_id_party FOREIGN KEY(party_id) REFERENCES party (id), 
	CONSTRAINT fk_participation_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_participation PRIMARY KEY (id), 
	CONSTRAINT uq_participation_party_id_instrument_id UNIQUE (party_id, instrument_id), 
	CONSTRAINT uq_participation_uuid UNIQUE (uuid)
);

-- table party
CREATE TABLE party (
	code VARCHAR(16) NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	official_name TEXT, 
	alpha2 VARCHAR(2), 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT pk_party PRIMARY KEY (id), 
	CONSTRAINT uq_party_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_party_code UNIQUE (code), 
	CONSTRAINT uq_party_uuid UNIQUE (uuid)
);

-- table record_alias
CREATE TABLE record_alias (
	record_table VARCHAR(40) NOT NULL, 
	record_uuid VARCHAR(36) NOT NULL, 
	alias VARCHAR(80) NOT NULL, 
	note TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_record_alias PRIMARY KEY (id), 
	CONSTRAINT uq_record_alias_uuid UNIQUE (uuid)
);

-- table reporting_obligation
CREATE TABLE reporting_obligation (
	instrument_id INTEGER NOT NULL, 
	party_id INTEGER NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	description TEXT, 
	period VARCHAR(80), 
	due VARCHAR(10), 
	submitted VARCHAR(10), 
	document_id INTEGER, 
	responsible_agency_id INTEGER, 
	notes TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT fk_reporting_obligation_document_id_document FOREIGN KEY(document_id) REFERENCES document (id), 
	CONSTRAINT fk_reporting_obligation_instrument_id_instrument FOREIGN KEY(instrument_id) REFERENCES instrument (id), 
	CONSTRAINT fk_reporting_obligation_party_id_party FOREIGN KEY(party_id) REFERENCES party (id), 
	CONSTRAINT fk_reporting_obligation_responsible_agency_id_agency FOREIGN KEY(responsible_agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_reporting_obligation_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_reporting_obligation PRIMARY KEY (id), 
	CONSTRAINT uq_reporting_obligation_uuid UNIQUE (uuid)
);

-- table scheme_area
CREATE TABLE scheme_area (
	scheme_id INTEGER NOT NULL, 
	code VARCHAR(80) NOT NULL, 
	label VARCHAR(200) NOT NULL, 
	sort_order INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT fk_scheme_area_scheme_id_external_scheme FOREIGN KEY(scheme_id) REFERENCES external_scheme (id), 
	CONSTRAINT pk_scheme_area PRIMARY KEY (id), 
	CONSTRAINT uq_scheme_area_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_scheme_area_scheme_id_code UNIQUE (scheme_id, code), 
	CONSTRAINT uq_scheme_area_uuid UNIQUE (uuid)
);

-- table sequence_counter
CREATE TABLE sequence_counter (
	name VARCHAR(40) NOT NULL, 
	next_value INTEGER NOT NULL, 
	CONSTRAINT pk_sequence_counter PRIMARY KEY (name)
);

-- table source
CREATE TABLE source (
	title TEXT NOT NULL, 
	url TEXT, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_source PRIMARY KEY (id), 
	CONSTRAINT uq_source_uuid UNIQUE (uuid)
);

-- table status_entry
CREATE TABLE "status_entry" (
	commitment_id INTEGER NOT NULL, 
	entry_date DATE NOT NULL, 
	status VARCHAR(40) NOT NULL, 
	narrative TEXT, 
	evidence TEXT, 
	evidence_quality VARCHAR(40), 
	channel VARCHAR(40) NOT NULL, 
	source_ref VARCHAR(200), 
	recorded_by VARCHAR(120), 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	import_batch_id INTEGER, 
	CONSTRAINT fk_status_entry_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id), 
	CONSTRAINT fk_status_entry_import_batch_id_import_batch FOREIGN KEY(import_batch_id) REFERENCES import_batch (id), 
	CONSTRAINT fk_status_entry_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_status_entry PRIMARY KEY (id), 
	CONSTRAINT uq_status_entry_uuid UNIQUE (uuid)
);

-- table target
CREATE TABLE target (
	commitment_id INTEGER NOT NULL, 
	description TEXT, 
	due VARCHAR(10) NOT NULL, 
	due_by DATE NOT NULL, 
	deadline_id INTEGER, 
	source_document_id INTEGER, 
	clause VARCHAR(80), 
	revises_id INTEGER, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	sensitivity VARCHAR(32) NOT NULL, 
	retired_at DATETIME, 
	CONSTRAINT fk_target_commitment_id_commitment FOREIGN KEY(commitment_id) REFERENCES commitment (id), 
	CONSTRAINT fk_target_deadline_id_deadline FOREIGN KEY(deadline_id) REFERENCES deadline (id), 
	CONSTRAINT fk_target_revises_id_target FOREIGN KEY(revises_id) REFERENCES target (id), 
	CONSTRAINT fk_target_sensitivity_marking_level FOREIGN KEY(sensitivity) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT fk_target_source_document_id_document FOREIGN KEY(source_document_id) REFERENCES document (id), 
	CONSTRAINT pk_target PRIMARY KEY (id), 
	CONSTRAINT uq_target_uuid UNIQUE (uuid)
);

-- table theme
CREATE TABLE theme (
	code VARCHAR(60) NOT NULL, 
	label VARCHAR(200) NOT NULL, 
	description TEXT, 
	sort_order INTEGER NOT NULL, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	retired_at DATETIME, 
	catalogue_key VARCHAR(80), 
	confidence VARCHAR(40), 
	as_of VARCHAR(10), 
	catalogue_values JSON, 
	notes TEXT, 
	CONSTRAINT pk_theme PRIMARY KEY (id), 
	CONSTRAINT uq_theme_catalogue_key UNIQUE (catalogue_key), 
	CONSTRAINT uq_theme_code UNIQUE (code), 
	CONSTRAINT uq_theme_uuid UNIQUE (uuid)
);

-- table theme_mapping
CREATE TABLE theme_mapping (
	theme_id INTEGER NOT NULL, 
	scheme_area_id INTEGER NOT NULL, 
	CONSTRAINT fk_theme_mapping_scheme_area_id_scheme_area FOREIGN KEY(scheme_area_id) REFERENCES scheme_area (id) ON DELETE CASCADE, 
	CONSTRAINT fk_theme_mapping_theme_id_theme FOREIGN KEY(theme_id) REFERENCES theme (id) ON DELETE CASCADE, 
	CONSTRAINT pk_theme_mapping PRIMARY KEY (theme_id, scheme_area_id)
);

-- table workbook_export
CREATE TABLE workbook_export (
	kind VARCHAR(40) NOT NULL, 
	agency_id INTEGER, 
	ceiling VARCHAR(32) NOT NULL, 
	marking VARCHAR(32) NOT NULL, 
	exported_at DATETIME NOT NULL, 
	actor VARCHAR(120) NOT NULL, 
	file_name VARCHAR(260) NOT NULL, 
	file_sha256 VARCHAR(64) NOT NULL, 
	sheets JSON NOT NULL, 
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT fk_workbook_export_agency_id_agency FOREIGN KEY(agency_id) REFERENCES agency (id), 
	CONSTRAINT fk_workbook_export_ceiling_marking_level FOREIGN KEY(ceiling) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT fk_workbook_export_marking_marking_level FOREIGN KEY(marking) REFERENCES marking_level (code) ON UPDATE CASCADE, 
	CONSTRAINT pk_workbook_export PRIMARY KEY (id), 
	CONSTRAINT uq_workbook_export_uuid UNIQUE (uuid)
);

-- table workbook_export_row
CREATE TABLE workbook_export_row (
	id INTEGER NOT NULL, 
	export_id INTEGER NOT NULL, 
	sheet VARCHAR(40) NOT NULL, 
	record_uuid VARCHAR(36) NOT NULL, 
	record_key VARCHAR(200), 
	fields JSON NOT NULL, 
	locked JSON, 
	CONSTRAINT fk_workbook_export_row_export_id_workbook_export FOREIGN KEY(export_id) REFERENCES workbook_export (id) ON DELETE CASCADE, 
	CONSTRAINT pk_workbook_export_row PRIMARY KEY (id), 
	CONSTRAINT uq_workbook_export_row_export_id_sheet_record_uuid UNIQUE (export_id, sheet, record_uuid)
);

-- trigger fts_agency_ad
CREATE TRIGGER fts_agency_ad AFTER DELETE ON agency BEGIN INSERT INTO fts_agency(fts_agency, rowid, code, name, notes) VALUES ('delete', old.id, old.code, old.name, old.notes); END;

-- trigger fts_agency_ai
CREATE TRIGGER fts_agency_ai AFTER INSERT ON agency BEGIN INSERT INTO fts_agency(rowid, code, name, notes) VALUES (new.id, new.code, new.name, new.notes); END;

-- trigger fts_agency_au
CREATE TRIGGER fts_agency_au AFTER UPDATE OF code, name, notes ON agency BEGIN INSERT INTO fts_agency(fts_agency, rowid, code, name, notes) VALUES ('delete', old.id, old.code, old.name, old.notes); INSERT INTO fts_agency(rowid, code, name, notes) VALUES (new.id, new.code, new.name, new.notes); END;

-- trigger fts_commitment_ad
CREATE TRIGGER fts_commitment_ad AFTER DELETE ON commitment BEGIN INSERT INTO fts_commitment(fts_commitment, rowid, ref, title, text) VALUES ('delete', old.id, old.ref, old.title, old.text); END;

-- trigger fts_commitment_ai
CREATE TRIGGER fts_commitment_ai AFTER INSERT ON commitment BEGIN INSERT INTO fts_commitment(rowid, ref, title, text) VALUES (new.id, new.ref, new.title, new.text); END;

-- trigger fts_commitment_au
CREATE TRIGGER fts_commitment_au AFTER UPDATE OF ref, title, text ON commitment BEGIN INSERT INTO fts_commitment(fts_commitment, rowid, ref, title, text) VALUES ('delete', old.id, old.ref, old.title, old.text); INSERT INTO fts_commitment(rowid, ref, title, text) VALUES (new.id, new.ref, new.title, new.text); END;

-- trigger fts_document_ad
CREATE TRIGGER fts_document_ad AFTER DELETE ON document BEGIN INSERT INTO fts_document(fts_document, rowid, title, citation, text) VALUES ('delete', old.id, old.title, old.citation, old.text); END;

-- trigger fts_document_ai
CREATE TRIGGER fts_document_ai AFTER INSERT ON document BEGIN INSERT INTO fts_document(rowid, title, citation, text) VALUES (new.id, new.title, new.citation, new.text); END;

-- trigger fts_document_au
CREATE TRIGGER fts_document_au AFTER UPDATE OF title, citation, text ON document BEGIN INSERT INTO fts_document(fts_document, rowid, title, citation, text) VALUES ('delete', old.id, old.title, old.citation, old.text); INSERT INTO fts_document(rowid, title, citation, text) VALUES (new.id, new.title, new.citation, new.text); END;

-- trigger fts_gift_basket_ad
CREATE TRIGGER fts_gift_basket_ad AFTER DELETE ON gift_basket BEGIN INSERT INTO fts_gift_basket(fts_gift_basket, rowid, code, title, summary, text) VALUES ('delete', old.id, old.code, old.title, old.summary, old.text); END;

-- trigger fts_gift_basket_ai
CREATE TRIGGER fts_gift_basket_ai AFTER INSERT ON gift_basket BEGIN INSERT INTO fts_gift_basket(rowid, code, title, summary, text) VALUES (new.id, new.code, new.title, new.summary, new.text); END;

-- trigger fts_gift_basket_au
CREATE TRIGGER fts_gift_basket_au AFTER UPDATE OF code, title, summary, text ON gift_basket BEGIN INSERT INTO fts_gift_basket(fts_gift_basket, rowid, code, title, summary, text) VALUES ('delete', old.id, old.code, old.title, old.summary, old.text); INSERT INTO fts_gift_basket(rowid, code, title, summary, text) VALUES (new.id, new.code, new.title, new.summary, new.text); END;

-- trigger fts_status_entry_ad
CREATE TRIGGER fts_status_entry_ad AFTER DELETE ON status_entry BEGIN INSERT INTO fts_status_entry(fts_status_entry, rowid, narrative, evidence) VALUES ('delete', old.id, old.narrative, old.evidence); END;

-- trigger fts_status_entry_ai
CREATE TRIGGER fts_status_entry_ai AFTER INSERT ON status_entry BEGIN INSERT INTO fts_status_entry(rowid, narrative, evidence) VALUES (new.id, new.narrative, new.evidence); END;

-- trigger fts_status_entry_au
CREATE TRIGGER fts_status_entry_au AFTER UPDATE OF narrative, evidence ON status_entry BEGIN INSERT INTO fts_status_entry(fts_status_entry, rowid, narrative, evidence) VALUES ('delete', old.id, old.narrative, old.evidence); INSERT INTO fts_status_entry(rowid, narrative, evidence) VALUES (new.id, new.narrative, new.evidence); END;

