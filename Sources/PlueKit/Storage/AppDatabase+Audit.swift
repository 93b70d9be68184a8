import Foundation
import GRDB

extension AppDatabase {
    func recordAuditEvent(time: Date, tokenID: Int64?, user: String, route: String, scopeNeeded: String,
                          remoteAddress: String?, outcome: String) throws {
        try write("cannot record the audit event") { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_event (time, token_id, user_name, route, scope_needed, remote_address, outcome)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [Self.seconds(time), tokenID, user, route, scopeNeeded, remoteAddress, outcome])
        }
    }

    /// Newest first, at most `limit`.
    func auditEvents(limit: Int) throws -> [AuditEvent] {
        try read("cannot list audit events") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditEvent(id: row["id"], time: Self.date(row["time"]), tokenID: row["token_id"], user: row["user_name"],
                           route: row["route"], scopeNeeded: row["scope_needed"], remoteAddress: row["remote_address"],
                           outcome: row["outcome"])
            }
        }
    }
}
