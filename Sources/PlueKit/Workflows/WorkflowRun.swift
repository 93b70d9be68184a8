import Foundation

/// The state of a run, a job or a step.
public enum WorkflowStatus: String, Sendable, CaseIterable {
    case queued, running, success, failure, cancelled
    case timedOut = "timed_out"
    case skipped

    public var isFinished: Bool { self != .queued && self != .running }
}

public enum WorkflowEvent: String, Sendable, CaseIterable {
    case push, land, manual
}

/// One run of one workflow file at one commit.
public struct WorkflowRun: Sendable, JSONRepresentable {
    public let id: Int64
    public let repository: String
    public let workflowPath: String
    public let workflowName: String
    public let event: WorkflowEvent
    public let ref: String
    public let commit: String
    public let pushEventID: Int64?
    public let landEntryID: Int64?
    public let requestedBy: String?
    public let status: WorkflowStatus
    /// Why the workflow file could not run (`path:line: reason`).
    public let error: String?
    public let createdAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?
    public let jobs: [WorkflowJob]

    public var json: JSON {
        .object([("id", .int(id)), ("repository", .string(repository)), ("workflow", .string(workflowName)),
                 ("path", .string(workflowPath)), ("event", .string(event.rawValue)), ("ref", .string(ref)),
                 ("commit", .string(commit)), ("pushEvent", pushEventID.map(JSON.int) ?? .null),
                 ("landEntry", landEntryID.map(JSON.int) ?? .null), ("requestedBy", .optional(requestedBy)),
                 ("status", .string(status.rawValue)), ("error", .optional(error)), ("createdAt", .time(createdAt)),
                 ("startedAt", startedAt.map(JSON.time) ?? .null), ("finishedAt", finishedAt.map(JSON.time) ?? .null),
                 ("jobs", .array(jobs.map(\.json)))])
    }
}

public struct WorkflowJob: Sendable, JSONRepresentable {
    public let id: Int64
    public let key: String
    public let name: String
    public let needs: [String]
    public let status: WorkflowStatus
    public let reason: String
    public let attempts: Int
    public let startedAt: Date?
    public let finishedAt: Date?
    public let steps: [WorkflowStep]

    public var json: JSON {
        .object([("id", .int(id)), ("key", .string(key)), ("name", .string(name)), ("needs", .array(needs.map(JSON.string))),
                 ("status", .string(status.rawValue)), ("reason", .string(reason)), ("attempts", .int(Int64(attempts))),
                 ("startedAt", startedAt.map(JSON.time) ?? .null), ("finishedAt", finishedAt.map(JSON.time) ?? .null),
                 ("steps", .array(steps.map(\.json)))])
    }
}

public struct WorkflowStep: Sendable, JSONRepresentable {
    public let position: Int
    public let name: String
    public let status: WorkflowStatus
    public let exitCode: Int?
    public let startedAt: Date?
    public let finishedAt: Date?

    public var json: JSON {
        .object([("position", .int(Int64(position))), ("name", .string(name)), ("status", .string(status.rawValue)),
                 ("exitCode", exitCode.map { JSON.int(Int64($0)) } ?? .null),
                 ("startedAt", startedAt.map(JSON.time) ?? .null), ("finishedAt", finishedAt.map(JSON.time) ?? .null)])
    }
}

/// One line of a job's output (or of the runner's own account of it, step 0).
public struct WorkflowLogLine: Sendable, JSONRepresentable {
    public let id: Int64
    public let job: String
    public let attempt: Int
    public let step: Int
    public let time: Date
    public let text: String

    public var json: JSON {
        .object([("id", .int(id)), ("job", .string(job)), ("attempt", .int(Int64(attempt))), ("step", .int(Int64(step))),
                 ("time", .string(Timestamp.iso8601Milliseconds(time))), ("text", .string(text))])
    }
}

/// What a runner needs to run a job it claimed.
struct ClaimedJob: Sendable {
    let id: Int64
    let runID: Int64
    let key: String
    let attempt: Int
    let definition: JobDefinition
    let repositoryID: Int64
    let repository: String
    let commit: String
    let ref: String
    let event: WorkflowEvent
}

/// A job as the run fixed it: its steps and the workflow's environment around them.
struct JobDefinition: Sendable, Codable {
    let job: Workflow.Job
    let workflowEnv: [Workflow.EnvironmentEntry]

    func encoded() throws -> String {
        String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> JobDefinition {
        try JSONDecoder().decode(JobDefinition.self, from: Data(text.utf8))
    }
}

/// A run the trigger or a person asks for.
struct NewWorkflowRun {
    let workflowPath: String
    let workflowName: String
    let event: WorkflowEvent
    let ref: String
    let commit: String
    var pushEventID: Int64?
    var landEntryID: Int64?
    var requestedBy: Int64?
    /// A file that did not parse: the run is created failed, with this error and no jobs.
    var error: String?
    var workflowEnv: [Workflow.EnvironmentEntry] = []
    var jobs: [Workflow.Job] = []
}
