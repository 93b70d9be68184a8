import Foundation

/// `git upload-archive` resolves the tree a client names through every ref, hidden ones included:
/// `uploadpack.hideRefs` does not apply to it, so `git archive --remote=... refs/plue/sessions/ID`
/// would hand out a private session's files. `ssh-serve` reads the request first (pkt-lines
/// `argument ...` up to a flush, as git sends it), refuses one that names a private ref, and gives
/// git the same bytes.
public enum ArchiveRequest {
    /// With one read of 4 KiB past it, still under the 64 KiB a pipe holds.
    static let limit = 56 * 1024

    /// Reads the request from `descriptor` up to and including its flush packet.
    public static func read(from descriptor: Int32) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var offset = 0
        while true {
            // Complete packets in `bytes` from `offset` on: a four-digit hex length, then the payload.
            while bytes.count - offset >= 4 {
                guard let length = Int(String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self), radix: 16) else {
                    throw PlueError.invalidInput("malformed archive request")
                }
                if length == 0 { return Array(bytes[..<(offset + 4)]) }
                guard length >= 4 else { throw PlueError.invalidInput("malformed archive request") }
                guard bytes.count - offset >= length else { break }
                offset += length
            }
            guard bytes.count < limit else { throw PlueError.invalidInput("the archive request is over 56 KiB") }
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw PlueError.invalidInput("the archive request ended before its flush packet") }
            bytes += buffer[..<count]
        }
    }

    /// Refuses a request any of whose arguments (or an option's value) names a private ref, in
    /// full (`refs/plue/...`) or as git would complete it (`plue/...` is looked up as `refs/plue/...`).
    public static func check(_ request: [UInt8], privateRefs: String) throws {
        let short = String(privateRefs.dropFirst("refs/".count))
        var offset = 0
        while offset + 4 <= request.count {
            guard let length = Int(String(decoding: request[offset..<(offset + 4)], as: UTF8.self), radix: 16), length >= 4 else { break }
            let payload = String(decoding: request[(offset + 4)..<(offset + length)], as: UTF8.self)
            offset += length
            guard payload.hasPrefix("argument ") else { continue }
            var argument = String(payload.dropFirst("argument ".count))
            if argument.hasSuffix("\n") { argument.removeLast() }
            let values = [argument] + (argument.firstIndex(of: "=").map { [String(argument[argument.index(after: $0)...])] } ?? [])
            for value in values where value.hasPrefix(privateRefs) || value.hasPrefix(short) || value + "/" == privateRefs
                || value + "/" == short {
                throw PlueError(.permissionDenied, "\(privateRefs) is Plue's own and cannot be archived")
            }
        }
    }
}
