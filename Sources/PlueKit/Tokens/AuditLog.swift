import Foundation

/// The audit log: every request an API token was refused, kept in the database.
public struct AuditLog: Sendable {
    let database: AppDatabase
    let authorizer: Authorizer

    /// The longest route or remote address kept, in Unicode scalars: both come from the network.
    static let maximumFieldLength = 1000

    /// The newest `limit` events, newest first: for the operator and site admins only.
    public func list(limit: Int = 50, as principal: Principal) throws -> [AuditEvent] {
        try authorizer.requireAccountAdmin(principal, to: "read the audit log")
        return try database.auditEvents(limit: Validation.limit(limit))
    }

    func record(time: Date, tokenID: Int64?, user: String, route: String, scopeNeeded: String,
                remoteAddress: String?, outcome: AuditEvent.Outcome) throws {
        try database.recordAuditEvent(time: time, tokenID: tokenID, user: user, route: Self.cut(route), scopeNeeded: scopeNeeded,
                                      remoteAddress: remoteAddress.map(Self.cut), outcome: outcome.rawValue)
    }

    private static func cut(_ text: String) -> String {
        guard text.unicodeScalars.count > maximumFieldLength else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(maximumFieldLength)))
    }
}
