import Foundation

/// A directory under the system's temporary folder, removed when the value goes away.
public final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: `path` is immutable after init; deinit is the only other access.
    public let path: String

    public init(_ label: String = "plue-test") {
        var template = Array((NSTemporaryDirectory() + "/\(label)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(errno)")
        path = URL(fileURLWithPath: String(cString: made!)).standardizedFileURL.path
    }

    public func child(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
