/// A path a client names to write or delete in a session's working directory: relative, plain
/// components only, nothing git or a checkout would refuse. Checked before anything is read, and
/// the working directory is then reached only through `ConfinedDirectory`, which refuses these
/// again and never follows a link.
enum SessionFilePath {
    static let maxBytes = 4096

    /// `path` when it is one; else why not, as `.invalidInput`.
    static func validated(_ path: String) throws -> String {
        func refuse(_ why: String) -> PlueError {
            .invalidInput("refusing the path \(Validation.quoted(path)): \(why)")
        }
        guard !path.isEmpty else { throw refuse("it is empty; name a file in the working directory") }
        guard path.utf8.count <= maxBytes else { throw refuse("it is longer than \(maxBytes) bytes") }
        guard !path.hasPrefix("/") else { throw refuse("it is absolute; give a path relative to the working directory") }
        guard !Validation.hasControlCharacters(path) else { throw refuse("it holds a control character (NUL, a line break, an escape)") }
        if let problem = WorkdirLimits.problem(path: path) { throw refuse(problem) }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw refuse("it has an empty part (`//` or a trailing `/`)") }
            guard component != ".", component != ".." else { throw refuse("`.` and `..` may not be parts of it") }
            guard !isGitName(String(component)) else { throw refuse("`.git` belongs to git; Plue never writes there") }
        }
        return path
    }

    /// `.git` as git itself refuses it on any system (core.protectNTFS): any case, with trailing
    /// dots or spaces, or as the short name `git~1`.
    private static func isGitName(_ component: String) -> Bool {
        var name = Substring(component.lowercased())
        while name.hasSuffix(".") || name.hasSuffix(" ") { name = name.dropLast() }
        return name == ".git" || name == "git~1"
    }
}
