/// The git command an SSH client asked for (`SSH_ORIGINAL_COMMAND`), parsed strictly:
/// `git-upload-pack 'OWNER/NAME.git'` and its few spellings, nothing else.
public struct SSHCommand: Sendable, Equatable {
    public enum Service: String, Sendable, CaseIterable {
        case uploadPack = "upload-pack"
        case receivePack = "receive-pack"
        case uploadArchive = "upload-archive"

        /// What the service needs: fetching and archiving read, pushing writes.
        public var requiredPermission: Permission { self == .receivePack ? .write : .read }
    }

    public let service: Service
    public let owner: String
    public let name: String

    public var fullName: String { "\(owner)/\(name)" }

    /// Accepts `git-SERVICE 'PATH'` or `git SERVICE 'PATH'` with PATH `[/]OWNER/NAME[.git]`, single
    /// spaces and single quotes exactly as git sends them. Refuses everything else with a reason.
    public static func parse(_ command: String) throws -> SSHCommand {
        guard command.utf8.count <= 512 else { throw refusal("the command is too long") }
        guard !Validation.hasControlCharacters(command) else {
            throw refusal("the command contains control characters")
        }
        let spellings = Service.allCases.flatMap { service in
            ["git-\(service.rawValue) ", "git \(service.rawValue) "].map { (service, $0) }
        }
        guard let (verb, spelling) = spellings.first(where: { command.hasPrefix($0.1) }) else {
            throw refusal("only git-upload-pack, git-receive-pack and git-upload-archive are allowed")
        }
        let rest = command.dropFirst(spelling.count)
        guard rest.count >= 2, rest.first == "'", rest.last == "'" else {
            throw refusal("expected one single-quoted repository path, as git sends it")
        }
        var path = rest.dropFirst().dropLast()
        guard !path.contains("'"), !path.contains(" ") else {
            throw refusal("expected exactly one single-quoted repository path")
        }
        if path.hasPrefix("/") { path = path.dropFirst() }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix("-") }) else {
            throw refusal("the path must be OWNER/NAME or OWNER/NAME.git")
        }
        do {
            let (owner, name) = try Validation.fullName(String(path))
            return SSHCommand(service: verb, owner: owner, name: name)
        } catch {
            throw refusal("the path must be OWNER/NAME or OWNER/NAME.git")
        }
    }

    private static func refusal(_ reason: String) -> PlueError {
        PlueError.invalidInput("refused: \(reason)")
    }
}
