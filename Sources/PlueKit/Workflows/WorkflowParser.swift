import Foundation
import Yams

/// Reads one workflow file (YAML, through Yams) into a `Workflow`. Strict: a key Plue does not
/// know, a value of the wrong kind, a `needs` naming no job or a cycle of needs is an error with
/// the line it is on, never a silent skip, so a typo in `branches` cannot quietly turn CI off.
public enum WorkflowParser {
    /// Bigger files are refused before parsing.
    public static let maxBytes = 256 * 1024
    /// Nodes visited, aliases counted each time they are used: YAML's aliases can make a small file
    /// stand for an exponential tree ("billion laughs").
    static let maxNodes = 20_000
    static let maxJobs = 256
    static let maxSteps = 1_000
    /// Text read in all (scripts, names, values), aliases counted each time they are used: a
    /// 200 KB script named by an alias in a thousand steps is 200 MB to store and to show.
    public static let maxTextBytes = 1024 * 1024
    /// A step's or job's name, shown on every line of `workflow show`.
    static let maxNameBytes = 255

    public static func parse(_ bytes: [UInt8], path: String) -> Result<Workflow, WorkflowError> {
        Result { try parseOrThrow(bytes, path: path) }.mapError { error in
            (error as? WorkflowError) ?? WorkflowError(path: path, line: nil, reason: String(describing: error))
        }
    }

    static func parseOrThrow(_ bytes: [UInt8], path: String) throws -> Workflow {
        guard bytes.count <= maxBytes else {
            throw WorkflowError(path: path, line: nil, reason: "the file is \(bytes.count) bytes; a workflow may have at most \(maxBytes)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw WorkflowError(path: path, line: nil, reason: "the file is not UTF-8 text")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw WorkflowError(path: path, line: Self.line(of: error), reason: Self.reason(of: error))
        }
        guard let root else { throw WorkflowError(path: path, line: nil, reason: "the file is empty") }
        var reader = Reader(path: path)
        return try reader.workflow(root)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        case .duplicatedKeysInMapping(_, let context): context.mark.line
        default: nil
        }
    }

    private static func reason(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            "not valid YAML: " + (context.map { "\($0.text) " } ?? "") + problem
        case .duplicatedKeysInMapping(let duplicates, _):
            "a key appears twice in one mapping: \(duplicates.joined(separator: ", "))"
        default:
            "not valid YAML: \(error)"
        }
    }
}

private struct Reader {
    let path: String
    var visited = 0
    var textBytes = 0

    init(path: String) { self.path = path }

    func fail(_ node: Node?, _ reason: String) -> WorkflowError {
        WorkflowError(path: path, line: node?.mark?.line, reason: reason)
    }

    mutating func count(_ node: Node) throws {
        visited += 1
        if visited > WorkflowParser.maxNodes {
            throw fail(node, "the file expands to more than \(WorkflowParser.maxNodes) values (through aliases?)")
        }
    }

    /// The pairs of a mapping, each key a plain string from `allowed`.
    mutating func mapping(_ node: Node, _ what: String, allowed: Set<String>? = nil) throws -> [(key: String, keyNode: Node, value: Node)] {
        try count(node)
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var result: [(String, Node, Node)] = []
        for (key, value) in mapping {
            try count(key)
            guard case .scalar(let scalar) = key else { throw fail(key, "a key of \(what) must be text") }
            if let allowed, !allowed.contains(scalar.string) {
                throw fail(key, "unknown key '\(scalar.string)' in \(what); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            result.append((scalar.string, key, value))
        }
        return result
    }

    /// A mapping, or nothing at all (`land:` or `land: {}`).
    mutating func isEmptyOrMapping(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" { return true }
        if case .mapping = node { return true }
        return false
    }

    mutating func text(_ node: Node, _ what: String) throws -> String {
        try count(node)
        guard case .scalar(let scalar) = node else { throw fail(node, "\(what) must be text") }
        textBytes += scalar.string.utf8.count
        if textBytes > WorkflowParser.maxTextBytes {
            throw fail(node, "the file expands to more than \(WorkflowParser.maxTextBytes / 1024) KiB of text (through aliases?)")
        }
        return scalar.string
    }

    mutating func name(_ node: Node, _ what: String) throws -> String {
        let name = try text(node, what)
        guard name.utf8.count <= WorkflowParser.maxNameBytes else {
            throw fail(node, "\(what) is longer than \(WorkflowParser.maxNameBytes) bytes")
        }
        return name
    }

    mutating func strings(_ node: Node, _ what: String) throws -> [String] {
        try count(node)
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence):
            var result: [String] = []
            for entry in sequence { result.append(try text(entry, "each entry of \(what)")) }
            return result
        default: throw fail(node, "\(what) must be text or a list of text")
        }
    }

    mutating func bool(_ node: Node, _ what: String) throws -> Bool {
        switch try text(node, what) {
        case "true": return true
        case "false": return false
        default: throw fail(node, "\(what) must be true or false")
        }
    }

    mutating func minutes(_ node: Node, _ what: String) throws -> Double {
        let value = try text(node, what)
        guard let minutes = Double(value), minutes.isFinite, minutes > 0, minutes <= 7 * 24 * 60 else {
            throw fail(node, "\(what) must be a number of minutes above 0 and at most a week, not '\(value)'")
        }
        return minutes
    }

    mutating func environment(_ node: Node, _ what: String) throws -> [Workflow.EnvironmentEntry] {
        try mapping(node, what).map { key, keyNode, value in
            guard WorkflowNames.isVariableName(key) else {
                throw fail(keyNode, "'\(key)' is not a variable name (letters, digits and _, not starting with a digit)")
            }
            guard !WorkflowNames.reservedVariables.contains(key) && !key.hasPrefix("PLUE_") else {
                throw fail(keyNode, "\(key) is set by the runner and cannot be set in \(what)")
            }
            let text = try self.text(value, "the value of \(key)")
            guard !text.utf8.contains(0) else { throw fail(value, "the value of \(key) holds a NUL byte") }
            return Workflow.EnvironmentEntry(name: key, value: text)
        }
    }

    mutating func workflow(_ root: Node) throws -> Workflow {
        var name: String?
        var triggers: Workflow.Triggers?
        var env: [Workflow.EnvironmentEntry] = []
        var jobs: [Workflow.Job]?
        for (key, keyNode, value) in try mapping(root, "the workflow", allowed: ["name", "on", "env", "jobs"]) {
            switch key {
            case "name": name = try self.name(value, "name")
            case "on": triggers = try self.triggers(value)
            case "env": env = try environment(value, "env")
            default: jobs = try self.jobs(value, at: keyNode)
            }
        }
        guard let triggers else { throw fail(root, "the workflow has no 'on' (push, land or manual)") }
        guard let jobs else { throw fail(root, "the workflow has no 'jobs'") }
        let fallback = WorkflowFile.stem(of: path)
        let title = (name ?? "").trimmingCharacters(in: .whitespaces)
        return Workflow(path: path, name: title.isEmpty ? fallback : title, on: triggers, env: env, jobs: jobs)
    }

    mutating func triggers(_ node: Node) throws -> Workflow.Triggers {
        var triggers = Workflow.Triggers()
        let events: [(String, Node, Node?)]
        switch node {
        case .scalar, .sequence:
            events = try strings(node, "on").map { ($0, node, nil) }
        default:
            events = try mapping(node, "on").map { ($0.key, $0.keyNode, $0.value) }
        }
        for (event, keyNode, value) in events {
            switch event {
            case "push":
                if let value { triggers.push = try pushFilter(value) } else { triggers.push = Workflow.PushFilter() }
            case "land", "manual":
                if let value, !isEmptyOrMapping(value) { throw fail(value, "on.\(event) takes no settings") }
                if let value, case .mapping = value { _ = try mapping(value, "on.\(event)", allowed: []) }
                if event == "land" { triggers.land = true } else { triggers.manual = true }
            default:
                throw fail(keyNode, "unknown event '\(event)'; Plue's events are push, land and manual")
            }
        }
        guard triggers.push != nil || triggers.land || triggers.manual else { throw fail(node, "'on' names no event") }
        return triggers
    }

    mutating func pushFilter(_ node: Node) throws -> Workflow.PushFilter {
        var filter = Workflow.PushFilter()
        if isEmptyOrMapping(node), case .scalar = node { return filter }
        let keys: Set<String> = ["branches", "branches-ignore", "tags", "tags-ignore", "paths", "paths-ignore"]
        for (key, _, value) in try mapping(node, "on.push", allowed: keys) {
            let patterns = try strings(value, "on.push.\(key)")
            for pattern in patterns where pattern.isEmpty || pattern == "!" || pattern.utf8.contains(0) {
                throw fail(value, "on.push.\(key) holds an empty pattern")
            }
            if patterns.allSatisfy({ $0.hasPrefix("!") }) {
                throw fail(value, "on.push.\(key) has only '!' patterns, which match nothing; put a pattern without '!' first (e.g. '**')")
            }
            switch key {
            case "branches": filter.branches = patterns
            case "branches-ignore": filter.branchesIgnore = patterns
            case "tags": filter.tags = patterns
            case "tags-ignore": filter.tagsIgnore = patterns
            case "paths": filter.paths = patterns
            default: filter.pathsIgnore = patterns
            }
        }
        if filter.branches != nil && filter.branchesIgnore != nil {
            throw fail(node, "on.push takes branches or branches-ignore, not both")
        }
        if filter.tags != nil && filter.tagsIgnore != nil { throw fail(node, "on.push takes tags or tags-ignore, not both") }
        if filter.paths != nil && filter.pathsIgnore != nil { throw fail(node, "on.push takes paths or paths-ignore, not both") }
        return filter
    }

    mutating func jobs(_ node: Node, at keyNode: Node) throws -> [Workflow.Job] {
        let entries = try mapping(node, "jobs")
        guard !entries.isEmpty else { throw fail(keyNode, "'jobs' is empty") }
        guard entries.count <= WorkflowParser.maxJobs else { throw fail(node, "more than \(WorkflowParser.maxJobs) jobs") }
        var jobs: [Workflow.Job] = []
        var needNodes: [String: Node] = [:]
        for (id, idNode, value) in entries {
            guard WorkflowNames.isJobID(id) else {
                throw fail(idNode, "'\(id)' is not a job id (letters, digits, - and _, at most 100, starting with a letter or _)")
            }
            jobs.append(try job(id, value))
            needNodes[id] = value
        }
        let ids = Set(jobs.map(\.id))
        for job in jobs {
            for need in job.needs where !ids.contains(need) {
                throw fail(needNodes[job.id], "job '\(job.id)' needs '\(need)', which is not a job of this workflow")
            }
        }
        if let cycle = Self.cycle(jobs) {
            throw fail(needNodes[cycle], "job '\(cycle)' needs itself through 'needs'")
        }
        return jobs
    }

    mutating func job(_ id: String, _ node: Node) throws -> Workflow.Job {
        var name: String?, needs: [String] = [], env: [Workflow.EnvironmentEntry] = []
        var timeout = Workflow.defaultTimeoutMinutes
        var steps: [Workflow.Step]?
        let allowed: Set<String> = ["name", "needs", "env", "timeout-minutes", "steps"]
        for (key, keyNode, value) in try mapping(node, "job '\(id)'", allowed: allowed) {
            switch key {
            case "name": name = try self.name(value, "jobs.\(id).name")
            case "needs": needs = try strings(value, "jobs.\(id).needs")
            case "env": env = try environment(value, "jobs.\(id).env")
            case "timeout-minutes": timeout = try minutes(value, "jobs.\(id).timeout-minutes")
            default:
                try count(value)
                guard case .sequence(let sequence) = value, !sequence.isEmpty else {
                    throw fail(value, "jobs.\(id).steps must be a list of at least one step")
                }
                guard sequence.count <= WorkflowParser.maxSteps else {
                    throw fail(keyNode, "jobs.\(id) has more than \(WorkflowParser.maxSteps) steps")
                }
                var parsed: [Workflow.Step] = []
                for (index, node) in sequence.enumerated() { parsed.append(try step(node, job: id, index: index + 1)) }
                steps = parsed
            }
        }
        guard let steps else { throw fail(node, "job '\(id)' has no steps") }
        return Workflow.Job(id: id, name: name ?? id, needs: needs, env: env, timeoutMinutes: timeout, steps: steps)
    }

    mutating func step(_ node: Node, job: String, index: Int) throws -> Workflow.Step {
        var name: String?, run: String?, env: [Workflow.EnvironmentEntry] = [], directory: String?
        var continueOnError = false
        var timeout: Double?
        let what = "step \(index) of job '\(job)'"
        let allowed: Set<String> = ["name", "run", "env", "working-directory", "continue-on-error", "timeout-minutes", "uses"]
        for (key, keyNode, value) in try mapping(node, what, allowed: allowed) {
            switch key {
            case "name": name = try self.name(value, "the name of \(what)")
            case "run": run = try text(value, "run of \(what)")
            case "env": env = try environment(value, "env of \(what)")
            case "working-directory":
                let path = try text(value, "working-directory of \(what)")
                guard WorkflowNames.isRelativePath(path) else {
                    throw fail(value, "working-directory of \(what) must be a path inside the checkout (relative, no '..')")
                }
                directory = path
            case "continue-on-error": continueOnError = try bool(value, "continue-on-error of \(what)")
            case "timeout-minutes": timeout = try minutes(value, "timeout-minutes of \(what)")
            default:
                throw fail(keyNode, "'uses' is not supported: Plue runs shell commands; write the step as 'run:'")
            }
        }
        guard let run, !run.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail(node, "\(what) has no 'run' command")
        }
        guard !run.utf8.contains(0) else { throw fail(node, "run of \(what) holds a NUL byte") }
        // Named by its first line, cut to a name's length.
        var firstLine = run.split(separator: "\n").first.map(String.init) ?? run
        if firstLine.utf8.count > WorkflowParser.maxNameBytes {
            firstLine = String(decoding: firstLine.utf8.prefix(WorkflowParser.maxNameBytes - 3), as: UTF8.self) + "..."
        }
        return Workflow.Step(name: name ?? firstLine, run: run, env: env, workingDirectory: directory,
                             continueOnError: continueOnError, timeoutMinutes: timeout)
    }

    /// A job on a cycle of needs, if there is one.
    static func cycle(_ jobs: [Workflow.Job]) -> String? {
        let needs = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0.needs) })
        var state: [String: Int] = [:] // 1 visiting, 2 done
        func visit(_ id: String) -> String? {
            if state[id] == 2 { return nil }
            if state[id] == 1 { return id }
            state[id] = 1
            for need in needs[id] ?? [] { if let found = visit(need) { return found } }
            state[id] = 2
            return nil
        }
        for job in jobs { if let found = visit(job.id) { return found } }
        return nil
    }
}

enum WorkflowNames {
    /// Set by the runner for every step; a workflow's `env` cannot replace them.
    static let reservedVariables: Set<String> = ["CI", "HOME", "TMPDIR", "USER", "LOGNAME", "PATH"]

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 200, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isAlphanumeric($0) }
    }

    static func isJobID(_ id: String) -> Bool {
        guard let first = id.utf8.first, id.utf8.count <= 100, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return id.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || isAlphanumeric($0) }
    }

    /// A path below the checkout: relative, no empty, `.` or `..` part, no control characters.
    static func isRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count <= 1024 else { return false }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
