/// Writes the `pre-receive` and `post-receive` hooks that send every push, by any transport,
/// back into `plue hook`, with the binary's and the home's absolute paths baked in.
struct HookInstaller: Sendable {
    let executable: String
    let home: PlueHome

    static let hookNames = ["pre-receive", "post-receive"]

    /// What a hook Plue installed calls: the binary, and the home and repository it names.
    struct Target: Sendable, Equatable {
        let executable: String
        let home: String
        let repository: String
    }

    func install(inGitDirectory gitDirectory: String, fullName: String) throws {
        for name in Self.hookNames {
            try install(hook: name, inGitDirectory: gitDirectory, fullName: fullName)
        }
    }

    /// Writes one hook, replacing whatever file is there in one rename.
    func install(hook name: String, inGitDirectory gitDirectory: String, fullName: String) throws {
        try FileSystem.createDirectory(gitDirectory + "/hooks")
        try FileSystem.writeFile(gitDirectory + "/hooks/" + name, contents: Array(script(hook: name, fullName: fullName).utf8), mode: 0o755)
    }

    func script(hook name: String, fullName: String) -> String {
        let line = InternalCommandLine.hook(name: name, home: home.root, repository: fullName)
        let command = line.arguments(value: FilePath.shellQuoted).joined(separator: " ")
        return """
            #!/bin/sh
            # Installed by plue: every push is checked and recorded as a push event.
            # Do not edit; plue writes this file again when the repository is created or imported.
            exec \(FilePath.shellQuoted(executable)) \(command)

            """
    }

    /// What `text` calls when it is exactly a hook `install` writes for `name` (for any binary,
    /// home and repository); nil for anything else, such as a hook edited by hand.
    static func target(of text: String, hook name: String) -> Target? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("exec ") }),
              let words = shellWords(line.dropFirst(5)), let executable = words.first,
              case .hook(name, let home, let repository)? = InternalCommandLine(Array(words.dropFirst())) else { return nil }
        let target = Target(executable: executable, home: home, repository: repository)
        // Written again from what it names, it must be the same bytes: nothing added, nothing edited.
        let installer = HookInstaller(executable: target.executable, home: PlueHome(root: target.home))
        guard installer.home.root == target.home, installer.script(hook: name, fullName: target.repository) == text else { return nil }
        return target
    }

    /// The words of a line in the one shell grammar `script` writes: bare words and
    /// `FilePath.shellQuoted` ones, separated by single spaces. Nil for anything else.
    private static func shellWords(_ line: Substring) -> [String]? {
        var words: [String] = []
        var word = ""
        var quoted = false
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "'" { quoted = false } else { word.append(character) }
                continue
            }
            switch character {
            case "'":
                quoted = true
                inWord = true
            case "\\":
                guard characters.next() == "'" else { return nil }
                word.append("'")
                inWord = true
            case " ":
                guard inWord else { return nil }
                words.append(word)
                word = ""
                inWord = false
            case "\"", "$", "`", "\t", ";", "&", "|", "<", ">", "(", ")", "*", "?", "[", "#", "~":
                return nil
            default:
                word.append(character)
                inWord = true
            }
        }
        guard !quoted, inWord else { return nil }
        words.append(word)
        return words
    }
}
