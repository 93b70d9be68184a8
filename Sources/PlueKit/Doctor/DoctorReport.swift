/// Everything `plue doctor` found in one home.
public struct DoctorReport: Sendable, Equatable, JSONRepresentable {
    public let home: String
    public let findings: [DoctorFinding]

    /// The findings `--fix` did not repair: `plue doctor` exits non-zero while there are any.
    public var remaining: Int { findings.filter { !$0.fixed }.count }
    public var fixed: Int { findings.filter(\.fixed).count }

    public var json: JSON {
        .object([("home", .string(home)), ("findings", .array(findings.map(\.json))), ("fixed", .int(Int64(fixed))),
                 ("remaining", .int(Int64(remaining)))])
    }
}
