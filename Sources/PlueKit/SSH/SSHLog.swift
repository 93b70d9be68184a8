import Foundation

/// sshd throws away the key lookup's standard error, so every SSH decision is appended here:
/// one line per decision, `TIME EVENT key=FINGERPRINT field=value ...`.
struct SSHLog: Sendable {
    let path: String

    func record(_ event: String, _ fields: KeyValuePairs<String, String>) {
        var line = Timestamp.iso8601(Date()) + " " + event
        for (name, value) in fields {
            let clean = String(value.unicodeScalars.map { $0.value < 0x20 || $0 == " " ? "_" : Character($0) })
            line += " \(name)=\(clean)"
        }
        line += "\n"
        let directory = (path as NSString).deletingLastPathComponent
        if !FileSystem.exists(directory) { try? FileSystem.createDirectory(directory, mode: 0o750) }
        // One write(2) with O_APPEND: concurrent logins never interleave within a line.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { return }
        var bytes = Array(line.utf8)
        _ = write(descriptor, &bytes, bytes.count)
        close(descriptor)
    }
}
