import Foundation
import NIOConcurrencyHelpers
import PlueKit

/// Request counts and durations by route and status, and the forge's counts, in Prometheus's text
/// format (version 0.0.4) for `GET /metrics`. Routes are labelled by their pattern
/// (`/api/v1/repos/{owner}/{repo}`), never by the path asked for, so a scan of random paths adds
/// one label (`unmatched`), not one per path.
final class Metrics: @unchecked Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct RequestKey: Hashable { let method: String; let route: String; let status: Int }
    private struct Durations { var buckets: [Int]; var count = 0; var sum = 0.0 }

    /// The server's connection cap, whose figures are shown with the requests'; none in a test
    /// that only renders the document's routes.
    private let connections: ConnectionLimit?
    private let fetchCache: FetchCache?
    private let lock = NIOLock()
    private var requests: [RequestKey: Int] = [:]
    private var durations: [String: Durations] = [:]

    init(connections: ConnectionLimit? = nil, fetchCache: FetchCache? = nil) {
        self.connections = connections
        self.fetchCache = fetchCache
    }

    func record(method: String, route: String, status: Int, seconds: Double) {
        lock.withLock {
            requests[RequestKey(method: method, route: route, status: status), default: 0] += 1
            var entry = durations[route] ?? Durations(buckets: Array(repeating: 0, count: Self.buckets.count))
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { entry.buckets[index] += 1 }
            entry.count += 1
            entry.sum += seconds
            durations[route] = entry
        }
    }

    func render(counts: ForgeCounts) -> String {
        var lines: [String] = []
        let (requests, durations) = lock.withLock { (self.requests, self.durations) }
        lines.append("# HELP plue_http_requests_total HTTP requests answered, by method, route pattern and status.")
        lines.append("# TYPE plue_http_requests_total counter")
        for (key, count) in requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            lines.append("plue_http_requests_total{method=\(quoted(key.method)),route=\(quoted(key.route)),status=\"\(key.status)\"} \(count)")
        }
        lines.append("# HELP plue_http_request_duration_seconds Time to answer a request, by route pattern.")
        lines.append("# TYPE plue_http_request_duration_seconds histogram")
        for (route, entry) in durations.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in Self.buckets.enumerated() {
                lines.append("plue_http_request_duration_seconds_bucket{route=\(quoted(route)),le=\"\(bound)\"} \(entry.buckets[index])")
            }
            lines.append("plue_http_request_duration_seconds_bucket{route=\(quoted(route)),le=\"+Inf\"} \(entry.count)")
            lines.append("plue_http_request_duration_seconds_sum{route=\(quoted(route))} \(entry.sum)")
            lines.append("plue_http_request_duration_seconds_count{route=\(quoted(route))} \(entry.count)")
        }
        if let connections {
            let (open, refused) = connections.figures
            lines.append("# HELP plue_http_connections Connections open now.")
            lines.append("# TYPE plue_http_connections gauge")
            lines.append("plue_http_connections \(open)")
            lines.append("# HELP plue_http_connections_refused_total Connections closed as they came, past --max-connections.")
            lines.append("# TYPE plue_http_connections_refused_total counter")
            lines.append("plue_http_connections_refused_total \(refused)")
        }
        if let fetchCache {
            let figures = fetchCache.figures
            lines.append("# HELP plue_git_fetch_cache_requests_total git fetch requests that could be answered from the fetch cache, by whether they were.")
            lines.append("# TYPE plue_git_fetch_cache_requests_total counter")
            lines.append("plue_git_fetch_cache_requests_total{result=\"hit\"} \(figures.hits)")
            lines.append("plue_git_fetch_cache_requests_total{result=\"miss\"} \(figures.misses)")
            lines.append("# HELP plue_git_fetch_cache_bytes Bytes of fetches' answers kept in memory.")
            lines.append("# TYPE plue_git_fetch_cache_bytes gauge")
            lines.append("plue_git_fetch_cache_bytes \(figures.bytes)")
        }
        lines.append("# HELP plue_land_entries Landing queue entries, by state.")
        lines.append("# TYPE plue_land_entries gauge")
        for state in ["queued", "checking", "landed", "conflicted", "stale", "failed", "cancelled"] {
            lines.append("plue_land_entries{state=\"\(state)\"} \(counts.landEntries[state] ?? 0)")
        }
        lines.append("# HELP plue_land_queue_depth Landing entries waiting or being checked.")
        lines.append("# TYPE plue_land_queue_depth gauge")
        lines.append("plue_land_queue_depth \((counts.landEntries["queued"] ?? 0) + (counts.landEntries["checking"] ?? 0))")
        lines.append("# HELP plue_sessions Agent sessions, by status.")
        lines.append("# TYPE plue_sessions gauge")
        for status in ["active", "aborted", "closed", "landed"] {
            lines.append("plue_sessions{status=\"\(status)\"} \(counts.sessions[status] ?? 0)")
        }
        lines.append("# HELP plue_workflow_jobs Workflow jobs, by status.")
        lines.append("# TYPE plue_workflow_jobs gauge")
        for status in WorkflowStatus.allCases {
            lines.append("plue_workflow_jobs{status=\"\(status.rawValue)\"} \(counts.workflowJobs[status.rawValue] ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value as Prometheus reads it: backslash, quote and newline escaped.
    private func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
