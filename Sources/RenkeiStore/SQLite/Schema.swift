import GRDB

/// The tables of a node's SQLite file. Every node uses the same schema; each fills the
/// tables of its role.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE link_codes (
                        tenant TEXT NOT NULL, person TEXT NOT NULL, link_code TEXT NOT NULL,
                        PRIMARY KEY (tenant, person)) WITHOUT ROWID;
                    CREATE TABLE acquisitions (
                        processing_number TEXT PRIMARY KEY, tenant TEXT NOT NULL, person TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE duplicates (
                        tenant TEXT NOT NULL, person TEXT NOT NULL, information_code TEXT NOT NULL,
                        data_set TEXT NOT NULL, record_key TEXT NOT NULL, version INTEGER NOT NULL,
                        publication_date TEXT, end_date TEXT, items TEXT NOT NULL,
                        PRIMARY KEY (tenant, person, information_code, data_set, record_key)) WITHOUT ROWID;
                    CREATE TABLE tenant_addressees (
                        tenant TEXT NOT NULL, address_number TEXT NOT NULL, person TEXT NOT NULL,
                        PRIMARY KEY (tenant, address_number)) WITHOUT ROWID;
                    CREATE TABLE used_permits (
                        permit_id BLOB PRIMARY KEY, tenant TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE addressees (
                        address_number TEXT PRIMARY KEY, integrated TEXT NOT NULL, my_number TEXT, name TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE residents (
                        my_number TEXT PRIMARY KEY, resident_code TEXT NOT NULL) WITHOUT ROWID;
                    CREATE TABLE processing_numbers (
                        number TEXT PRIMARY KEY, organization TEXT NOT NULL) WITHOUT ROWID;

                    CREATE TABLE records (
                        id INTEGER PRIMARY KEY,
                        party TEXT NOT NULL, reception_number TEXT NOT NULL,
                        inquirer TEXT NOT NULL, provider TEXT NOT NULL, item TEXT NOT NULL, procedure TEXT NOT NULL,
                        information_codes TEXT NOT NULL, requested_at INTEGER NOT NULL, provided_at INTEGER,
                        outcome TEXT NOT NULL, error_code TEXT,
                        inquirer_nondisclosure INTEGER NOT NULL, provider_nondisclosure INTEGER NOT NULL,
                        link_code TEXT, provider_link_code TEXT);
                    CREATE INDEX records_requested_at ON records (requested_at);
                    CREATE INDEX records_reception ON records (reception_number);
                    CREATE INDEX records_link_code ON records (link_code);

                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT,
                        detail TEXT NOT NULL, leaf BLOB NOT NULL, chain BLOB NOT NULL);
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TABLE audit_checkpoints (
                        size INTEGER PRIMARY KEY, root BLOB NOT NULL, chain BLOB NOT NULL, at INTEGER NOT NULL, signature BLOB NOT NULL);
                    CREATE TABLE audit_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, chain BLOB NOT NULL, frontier BLOB NOT NULL);
                    """)
        }
        migrator.registerMigration("v2: test mode, inquiry state, manual queue, flags") { db in
            try db.execute(
                sql: """
                    ALTER TABLE records ADD COLUMN test INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE inquiries (
                        tenant TEXT NOT NULL, reception_number TEXT NOT NULL, status TEXT NOT NULL, payload BLOB NOT NULL,
                        updated_at INTEGER NOT NULL, PRIMARY KEY (tenant, reception_number)) WITHOUT ROWID;
                    CREATE TABLE manual_queue (
                        tenant TEXT NOT NULL, reception_number TEXT NOT NULL, payload BLOB NOT NULL, deadline INTEGER NOT NULL,
                        PRIMARY KEY (tenant, reception_number)) WITHOUT ROWID;
                    CREATE TABLE flags (
                        tenant TEXT NOT NULL, person TEXT NOT NULL, information_code TEXT NOT NULL, kind TEXT NOT NULL,
                        PRIMARY KEY (tenant, person, information_code, kind)) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3: head from the log, no 符号 index") { db in
            // The audit head is rebuilt at start from the last checkpoint's frontier and the
            // entries after it, instead of being rewritten (a page) at every commit. The
            // person view reads both 符号 columns, which no single index serves, so the
            // index on one of them only cost a random page write per record.
            try db.execute(
                sql: """
                    ALTER TABLE audit_checkpoints ADD COLUMN frontier BLOB;
                    DROP TABLE audit_head;
                    DROP INDEX records_link_code;
                    """)
        }
        migrator.registerMigration("v4: the ordinance item beside the 別表第二 item") { db in
            // Since 2024-05-27 an item has a number in the ordinance's table as well; `item`
            // keeps the 別表第二 number ('' for an item the ordinance added).
            try db.execute(sql: "ALTER TABLE records ADD COLUMN ordinance_item TEXT")
        }
        migrator.registerMigration("v5: staff accounts, the operator of each record") { db in
            try db.execute(
                sql: """
                    CREATE TABLE staff (
                        tenant TEXT NOT NULL, user_id TEXT NOT NULL, payload BLOB NOT NULL,
                        PRIMARY KEY (tenant, user_id)) WITHOUT ROWID;
                    ALTER TABLE records ADD COLUMN operator_user TEXT;
                    ALTER TABLE records ADD COLUMN operator_department TEXT;
                    """)
        }
        migrator.registerMigration("v6: append-only rows in the chain, witnessed checkpoints") { db in
            // Every 情報提供等記録, used permit and staff account row points to the audit entry
            // that carries its digest, so that a row edited, deleted or inserted outside renkei
            // fails `audit verify`. Deleting or changing such rows needs the release row, which
            // only the writer sets, inside the one transaction that removes them (a purge, a
            // reset): the triggers stop accidents; the chain is what catches an insider.
            var sql = """
                ALTER TABLE records ADD COLUMN audit_seq INTEGER;
                ALTER TABLE used_permits ADD COLUMN audit_seq INTEGER;
                ALTER TABLE staff ADD COLUMN audit_seq INTEGER;
                CREATE TABLE append_only_release (id INTEGER PRIMARY KEY CHECK (id = 1));
                CREATE TABLE audit_stamps (
                    size INTEGER PRIMARY KEY, serial INTEGER NOT NULL, checkpoint_at INTEGER NOT NULL, stamped_at INTEGER NOT NULL,
                    response BLOB NOT NULL);
                CREATE TABLE stamps (
                    serial INTEGER PRIMARY KEY, node TEXT NOT NULL, size INTEGER NOT NULL, root BLOB NOT NULL, chain BLOB NOT NULL,
                    checkpoint_at INTEGER NOT NULL, signature BLOB NOT NULL, stamped_at INTEGER NOT NULL, response BLOB NOT NULL);
                CREATE INDEX stamps_node ON stamps (node, serial);
                """
            for table in ["records", "used_permits", "staff"] {
                for verb in ["UPDATE", "DELETE"] {
                    sql += """
                        CREATE TRIGGER \(table)_no_\(verb.lowercased()) BEFORE \(verb) ON \(table)
                            WHEN NOT EXISTS (SELECT 1 FROM append_only_release)
                            BEGIN SELECT RAISE(ABORT, '\(table) are append-only'); END;

                        """
                }
            }
            for table in ["audit_stamps", "stamps"] {
                for verb in ["UPDATE", "DELETE"] {
                    sql += """
                        CREATE TRIGGER \(table)_no_\(verb.lowercased()) BEFORE \(verb) ON \(table)
                            BEGIN SELECT RAISE(ABORT, 'time-stamps are append-only'); END;

                        """
                }
            }
            try db.execute(sql: sql)
        }
        migrator.registerMigration("v7: manual answers bound to their exchange, delivered exactly once") { db in
            try db.execute(
                sql: """
                    CREATE TABLE manual_exchanges (reception_number TEXT PRIMARY KEY, payload BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE manual_outbox (
                        tenant TEXT NOT NULL, reception_number TEXT NOT NULL, payload BLOB NOT NULL,
                        PRIMARY KEY (tenant, reception_number)) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
