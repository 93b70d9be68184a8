/// The shape every name, path and ref must have before Plue acts on it.
/// Each check returns the value to use or throws `.invalidInput` with what is allowed.
public enum Validation {
    /// Names no account may take: routes of the forge and names easily mistaken for the system.
    /// (`search`: `/api/v1/users/search` would hide `/api/v1/users/{name}` of such an account.)
    public static let reservedUserNames: Set<String> = [
        "about", "admin", "administrator", "api", "assets", "explore", "favicon.ico", "git", "help",
        "login", "logout", "new", "org", "orgs", "plue", "register", "repo", "repos", "root",
        "search", "settings", "signin", "signup", "static", "system", "user", "users",
    ]

    /// `^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$`, not reserved.
    public static func userName(_ name: String) throws -> String {
        let bytes = Array(name.utf8)
        guard (1...39).contains(bytes.count), isAlphanumeric(bytes[0]),
              bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else {
            throw PlueError.invalidInput("invalid user name \(quoted(name)): use 1 to 39 letters, digits, '-' or '_', starting with a letter or digit")
        }
        if reservedUserNames.contains(name.lowercased()) {
            throw PlueError.invalidInput("the user name \(quoted(name)) is reserved; choose another")
        }
        return name
    }

    /// `^[A-Za-z0-9._-]{1,100}$`, not `.` or `..`, not starting with `-`, not ending in `.git`.
    public static func repositoryName(_ name: String) throws -> String {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
        guard (1...100).contains(bytes.count), allowed, name != ".", name != "..", !name.hasPrefix("-"),
              !name.lowercased().hasSuffix(".git")
        else {
            throw PlueError.invalidInput("invalid repository name \(quoted(name)): use 1 to 100 letters, digits, '.', '-' or '_', not '.' or '..', not starting with '-' and not ending in '.git'")
        }
        return name
    }

    /// `OWNER/NAME`, with an optional trailing `.git` accepted as a convenience.
    public static func fullName(_ text: String) throws -> (owner: String, name: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw PlueError.invalidInput("expected OWNER/NAME, got \(quoted(text))")
        }
        var name = String(parts[1])
        if name.lowercased().hasSuffix(".git") && name.count > 4 { name = String(name.dropLast(4)) }
        return (try userNameForLookup(String(parts[0])), try repositoryName(name))
    }

    /// A user name as typed to find an existing account: the shape is checked, the reserved list is not.
    public static func userNameForLookup(_ name: String) throws -> String {
        let bytes = Array(name.utf8)
        guard (1...39).contains(bytes.count), isAlphanumeric(bytes[0]),
              bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else {
            throw PlueError.invalidInput("invalid user name \(quoted(name)): use 1 to 39 letters, digits, '-' or '_', starting with a letter or digit")
        }
        return name
    }

    /// An email address of the usual shape: `local@domain.tld`, at most 254 bytes, no spaces or control characters.
    public static func email(_ email: String) throws -> String {
        let bytes = Array(email.utf8)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let printable = bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
        guard bytes.count <= 254, printable, parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..")
        else {
            throw PlueError.invalidInput("invalid email address \(quoted(email)): expected something like name@example.com")
        }
        return email
    }

    /// A one-line description of at most 1,000 characters.
    public static func description(_ text: String) throws -> String {
        guard text.count <= 1000, !hasControlCharacters(text) else {
            throw PlueError.invalidInput("the description must be one line of at most 1000 characters")
        }
        return text
    }

    /// A revision for reads: a branch, tag, commit id or an expression such as `main~2`.
    public static func revision(_ revision: String) throws -> String {
        guard !revision.isEmpty, revision.utf8.count <= 256, !revision.hasPrefix("-"),
              !hasControlCharacters(revision), !revision.contains(" ")
        else {
            throw PlueError.invalidInput("invalid ref \(quoted(revision)): name a branch, tag or commit, with no spaces or control characters and no leading '-'")
        }
        return revision
    }

    /// A branch name, as `git check-ref-format --branch` accepts it and without what would make it
    /// read as something else: no leading `-` (an option), not `@` or `HEAD`, nothing under `refs/`
    /// (`refs/heads/refs/plue/x` is a branch git allows but every reader would mistake), no `@{`.
    /// The one rule for default branches, session bases and landing targets, on every path.
    public static func branchName(_ branch: String) throws -> String {
        // libgit2 reads C strings: a NUL would cut the name short, so control characters are refused first.
        guard !branch.hasPrefix("-"), branch.utf8.count <= 255, !hasControlCharacters(branch), !branch.contains(" "),
              branch != "@", !branch.contains("@{"), !isAmbiguousBranch(branch),
              GitRepository.isValidBranchName(branch)
        else {
            throw PlueError.invalidInput("invalid branch name \(quoted(branch)): use a name `git check-ref-format --branch` accepts, such as main or release/2.0, not starting with '-', not HEAD and not under refs/, heads/, tags/ or remotes/")
        }
        return branch
    }

    /// A name git would read as another ref when it is short: `refs/...`, `heads/x` (refs/heads/x),
    /// `tags/x`, `remotes/x`, `HEAD` and `HEAD/x`, and `FETCH_HEAD`-style names.
    private static func isAmbiguousBranch(_ branch: String) -> Bool {
        let first = branch.split(separator: "/", maxSplits: 1).first.map(String.init) ?? branch
        return ["refs", "heads", "tags", "remotes", "HEAD"].contains(first)
            || (branch.hasSuffix("_HEAD") && branch == branch.uppercased())
    }

    /// A path inside a repository's tree, relative, with no `.`, `..` or empty components.
    /// Leading and trailing slashes are dropped; the empty path is the root.
    public static func treePath(_ path: String) throws -> String {
        var trimmed = Substring(path)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed.isEmpty { return "" }
        let components = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= 4096,
              !hasControlCharacters(String(trimmed)),
              components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else {
            throw PlueError.invalidInput("invalid path \(quoted(path)): use a path inside the repository, with no '.', '..' or empty parts and no control characters")
        }
        return String(trimmed)
    }

    /// Text to search names for: at most 100 characters on one line; any other character, `%` and
    /// `_` included, stands for itself.
    public static func searchText(_ text: String) throws -> String {
        guard text.count <= 100, !hasControlCharacters(text) else {
            throw PlueError.invalidInput("invalid search text \(quoted(text)): use one line of at most 100 characters")
        }
        return text
    }

    /// A count given with `-n`.
    public static func limit(_ value: Int, maximum: Int = 100_000) throws -> Int {
        guard (1...maximum).contains(value) else {
            throw PlueError.invalidInput("the count must be between 1 and \(maximum), got \(value)")
        }
        return value
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether `text` holds a control character (C0 or DEL) other than those `allowed`: the one
    /// check every one-line name, title and message passes.
    public static func hasControlCharacters(_ text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 || $0.value == 0x7F) && !allowed.contains($0) }
    }

    /// The input shown safely in an error: control characters escaped, long input cut.
    public static func quoted(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(80) {
            shown += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        if text.unicodeScalars.count > 80 { shown += "…" }
        return "'\(shown)'"
    }
}
