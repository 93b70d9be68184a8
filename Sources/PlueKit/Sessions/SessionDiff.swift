/// What `plue session diff --json` reports: each changed file, and the patch `git apply` accepts.
public struct SessionDiff: Sendable, JSONRepresentable {
    public let files: [GitDiffFile]
    public let patch: String

    public var json: JSON { .object([("files", .array(files.map(\.json))), ("patch", .string(patch))]) }
}
