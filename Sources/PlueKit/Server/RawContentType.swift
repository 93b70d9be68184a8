/// The content type of a raw file, told from its bytes, never from its name: UTF-8 text without
/// NUL is `text/plain`, a few image and document formats by their magic numbers, anything else
/// `application/octet-stream`. HTML and SVG are served as text, so a browser that opens a raw file
/// of a repository never runs what someone pushed (as Gitea serves them by default).
enum RawContentType {
    static func of(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil { return "text/plain; charset=utf-8" }
        return "application/octet-stream"
    }
}
