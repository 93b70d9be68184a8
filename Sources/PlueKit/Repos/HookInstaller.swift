/// Writes the `pre-receive` and `post-receive` hooks that send every push, by any transport,
/// back into `plue hook`, with the binary's and the home's absolute paths baked in.
struct HookInstaller: Sendable {
    let executable: String
    let home: PlueHome

    static let hookNames = ["pre-receive", "post-receive"]

    func install(inGitDirectory gitDirectory: String, fullName: String) throws {
        try FileSystem.createDirectory(gitDirectory + "/hooks")
        for name in Self.hookNames {
            let script = """
                #!/bin/sh
                # Installed by plue: every push is checked and recorded as a push event.
                # Do not edit; plue writes this file again when the repository is created or imported.
                exec \(FilePath.shellQuoted(executable)) hook \(name) --home \(FilePath.shellQuoted(home.root)) --repo \(FilePath.shellQuoted(fullName))

                """
            try FileSystem.writeFile(gitDirectory + "/hooks/" + name, contents: Array(script.utf8), mode: 0o755)
        }
    }
}
