import Foundation

/// One file of `.plue/workflows/`, as read from a commit: the subset of GitHub Actions' syntax
/// Plue runs (`WorkflowParser`). A file that does not parse is kept with its error, so that a run
/// of it can be marked failed with the file, line and reason rather than skipped.
public struct Workflow: Sendable, Equatable {
    /// `.plue/workflows/ci.yml`
    public let path: String
    /// `name:`, or the file's name without its extension.
    public let name: String
    public let on: Triggers
    public let env: [EnvironmentEntry]
    /// In the file's order.
    public let jobs: [Job]

    public struct Triggers: Sendable, Equatable {
        public var push: PushFilter?
        public var land = false
        public var manual = false
    }

    /// `on: push:` filters. A list left out does not filter; GitHub's rule for refs: with only
    /// branch filters a tag push does not match, with only tag filters a branch push does not.
    public struct PushFilter: Sendable, Equatable {
        public var branches: [String]?
        public var branchesIgnore: [String]?
        public var tags: [String]?
        public var tagsIgnore: [String]?
        public var paths: [String]?
        public var pathsIgnore: [String]?

        public init(branches: [String]? = nil, branchesIgnore: [String]? = nil, tags: [String]? = nil, tagsIgnore: [String]? = nil,
                    paths: [String]? = nil, pathsIgnore: [String]? = nil) {
            (self.branches, self.branchesIgnore, self.tags, self.tagsIgnore) = (branches, branchesIgnore, tags, tagsIgnore)
            (self.paths, self.pathsIgnore) = (paths, pathsIgnore)
        }
    }

    public struct Job: Sendable, Equatable, Codable {
        public let id: String
        public let name: String
        public let needs: [String]
        public let env: [EnvironmentEntry]
        public let timeoutMinutes: Double
        public let steps: [Step]
    }

    public struct Step: Sendable, Equatable, Codable {
        public let name: String
        public let run: String
        public let env: [EnvironmentEntry]
        /// Relative to the checkout.
        public let workingDirectory: String?
        public let continueOnError: Bool
        public let timeoutMinutes: Double?
    }

    public struct EnvironmentEntry: Sendable, Equatable, Codable {
        public let name: String
        public let value: String

        public init(name: String, value: String) { (self.name, self.value) = (name, value) }
    }

    /// GitHub's default is six hours; a forge on one machine should not hold a runner that long by default.
    public static let defaultTimeoutMinutes: Double = 60
    public static let directory = ".plue/workflows"
}

/// A workflow file as found at a commit: parsed, or why not.
public struct WorkflowFile: Sendable, Equatable, JSONRepresentable {
    public let path: String
    public let result: Result<Workflow, WorkflowError>

    public var workflow: Workflow? { try? result.get() }

    /// The name runs show: the workflow's own, or the file's for one that did not parse.
    public var name: String {
        switch result {
        case .success(let workflow): workflow.name
        case .failure: Self.stem(of: path)
        }
    }

    static func stem(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
    }

    public var json: JSON {
        switch result {
        case .success(let workflow):
            var triggers: [JSON] = []
            if workflow.on.push != nil { triggers.append(.string("push")) }
            if workflow.on.land { triggers.append(.string("land")) }
            if workflow.on.manual { triggers.append(.string("manual")) }
            return .object([("path", .string(path)), ("name", .string(workflow.name)), ("triggers", .array(triggers)),
                             ("jobs", .array(workflow.jobs.map { .string($0.id) })), ("error", .null)])
        case .failure(let error):
            return .object([("path", .string(path)), ("name", .string(name)), ("triggers", .array([])),
                            ("jobs", .array([])), ("error", .string(error.description))])
        }
    }
}

/// Why a workflow file cannot run: its path, the line (when known) and the reason.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let reason: String

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
    }
}
