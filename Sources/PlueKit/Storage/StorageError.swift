import GRDB

/// Turns SQLite failures into `PlueError`s once, at the storage edge.
enum StorageError {
    static func translate(_ error: any Error, _ what: String) -> any Error {
        if error is PlueError { return error }
        guard let sqlite = error as? DatabaseError else {
            return PlueError.internalError(what, cause: String(describing: error))
        }
        let detail = sqlite.message ?? "SQLite error \(sqlite.resultCode.rawValue)"
        switch sqlite.resultCode {
        case .SQLITE_CONSTRAINT:
            return PlueError(.alreadyExists, "\(what): it exists already", cause: detail)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return PlueError(.unavailable, "\(what): the database is busy; try again", cause: detail)
        case .SQLITE_READONLY, .SQLITE_FULL, .SQLITE_IOERR:
            return PlueError(.unavailable, "\(what): the database cannot be written (read-only or full disk); make it writable and try again", cause: detail)
        case .SQLITE_PERM, .SQLITE_AUTH:
            return PlueError(.permissionDenied, "\(what): permission denied; run as the user that owns the Plue home", cause: detail)
        case .SQLITE_CANTOPEN:
            return PlueError(.unavailable, "\(what): the database file cannot be opened; check that it exists and that its folder is writable", cause: detail)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return PlueError(.failed, "\(what): the database file is damaged; restore it from a backup", cause: detail)
        default:
            return PlueError.internalError(what, cause: detail)
        }
    }
}
