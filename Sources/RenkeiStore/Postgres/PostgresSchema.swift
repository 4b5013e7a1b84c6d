import RenkeiCore

/// The network system's tables in PostgreSQL, in the node's own schema. Every statement is
/// idempotent: replicas starting together each run them, one at a time under an advisory lock.
///
/// The audit log and the 情報提供等記録 are append-only as in SQLite: triggers refuse UPDATE,
/// DELETE and TRUNCATE, except on records inside renkei's own purge or reset transaction, which
/// sets `renkei.release` for that transaction only (`SET LOCAL`).
enum PostgresSchema {
    /// With the schema's hash, the advisory lock taken for its creation, so that two replicas
    /// do not race on CREATE (and stores of other schemas do not wait for it).
    static let creationLock: Int32 = 0x7265_6E6B

    static func statements(_ schema: String, emptyFrontier: [UInt8]) -> [String] {
        let s = schema
        let frontierHex = hex(emptyFrontier)
        return [
            "CREATE SCHEMA IF NOT EXISTS \(s)",
            "CREATE TABLE IF NOT EXISTS \(s).processing_numbers (number text PRIMARY KEY, organization text NOT NULL)",
            "CREATE TABLE IF NOT EXISTS \(s).manual_exchanges (reception_number text PRIMARY KEY, payload bytea NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS \(s).records (
                id bigserial PRIMARY KEY, party text NOT NULL, reception_number text NOT NULL, inquirer text NOT NULL,
                provider text NOT NULL, item text NOT NULL, procedure text NOT NULL, information_codes text NOT NULL,
                requested_at bigint NOT NULL, provided_at bigint, outcome text NOT NULL, error_code text,
                inquirer_nondisclosure boolean NOT NULL, provider_nondisclosure boolean NOT NULL, link_code text,
                provider_link_code text, test boolean NOT NULL, ordinance_item text, operator_user text,
                operator_department text, audit_seq bigint)
            """,
            "CREATE INDEX IF NOT EXISTS records_requested_at ON \(s).records (requested_at)",
            "CREATE INDEX IF NOT EXISTS records_reception ON \(s).records (reception_number)",
            """
            CREATE TABLE IF NOT EXISTS \(s).audit (
                seq bigint PRIMARY KEY, at bigint NOT NULL, kind text NOT NULL, actor text, detail text NOT NULL,
                leaf bytea NOT NULL, chain bytea NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).audit_checkpoints (
                size bigint PRIMARY KEY, root bytea NOT NULL, chain bytea NOT NULL, at bigint NOT NULL, signature bytea NOT NULL,
                frontier bytea NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(s).audit_stamps (
                size bigint PRIMARY KEY, serial bigint NOT NULL, checkpoint_at bigint NOT NULL, stamped_at bigint NOT NULL,
                response bytea NOT NULL)
            """,
            // The log's head, one row: every commit locks it (FOR UPDATE), so the replicas'
            // appends are serialised and each extends the chain the other left.
            """
            CREATE TABLE IF NOT EXISTS \(s).audit_head (
                id integer PRIMARY KEY CHECK (id = 1), size bigint NOT NULL, chain bytea NOT NULL, frontier bytea NOT NULL,
                checkpointed_size bigint NOT NULL, checkpointed_at bigint NOT NULL)
            """,
            """
            INSERT INTO \(s).audit_head (id, size, chain, frontier, checkpointed_size, checkpointed_at)
            VALUES (1, 0, '\\x\(String(repeating: "00", count: 32))', '\\x\(frontierHex)', 0, 0) ON CONFLICT (id) DO NOTHING
            """,
            """
            CREATE OR REPLACE FUNCTION \(s).append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_TABLE_NAME = 'records' AND current_setting('renkei.release', true) = 'on' THEN
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'the % table of renkei is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
            END $$
            """,
            "CREATE OR REPLACE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON \(s).audit FOR EACH ROW EXECUTE FUNCTION \(s).append_only()",
            "CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON \(s).audit FOR EACH STATEMENT EXECUTE FUNCTION \(s).append_only()",
            "CREATE OR REPLACE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON \(s).records FOR EACH ROW EXECUTE FUNCTION \(s).append_only()",
            "CREATE OR REPLACE TRIGGER records_no_truncate BEFORE TRUNCATE ON \(s).records FOR EACH STATEMENT EXECUTE FUNCTION \(s).append_only()",
        ]
    }
}
