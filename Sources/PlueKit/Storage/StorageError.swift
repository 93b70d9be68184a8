import Foundation
import GRDB

/// Turns SQLite failures into `PlueError`s once, at the storage edge.
enum StorageError {
    /// `path`, the database file, tells a file the caller may not write (77) from a read-only or
    /// full disk (75) when SQLite says only "read-only" or "cannot open".
    static func translate(_ error: any Error, _ what: String, path: String? = nil) -> any Error {
        if error is PlueError { return error }
        guard let sqlite = error as? DatabaseError else {
            return PlueError.internalError(what, cause: String(describing: error))
        }
        let detail = sqlite.message ?? "SQLite error \(sqlite.resultCode.rawValue)"
        if [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM].contains(sqlite.resultCode), let path, !callerMayWrite(path) {
            return PlueError(.permissionDenied, "\(what): this account may not write \(path) or its folder; run plue as the account that owns the home", cause: detail)
        }
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
            return PlueError(.damaged, "\(what): the database file is damaged; restore it from a backup", cause: detail)
        default:
            return PlueError.internalError(what, cause: detail)
        }
    }

    /// Whether this process may write the database file (when it exists) and its folder (SQLite
    /// writes its -wal and -shm files there).
    static func callerMayWrite(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        let fileWritable = access(path, F_OK) != 0 || access(path, W_OK) == 0 || errno != EACCES
        let folderWritable = access(folder, W_OK) == 0 || errno != EACCES
        return fileWritable && folderWritable
    }
}
