import ArgumentParser
import PlueKit

import Glibc

extension PlueCommand {
    struct SSHKeyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ssh-key",
            abstract: "Add, list and remove the SSH keys accounts log in with.",
            discussion: """
                Accepted: ed25519, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com, \
                sk-ecdsa-sha2-nistp256@openssh.com and ssh-rsa of at least 2048 bits. A key belongs to one \
                account or one deploy key in the whole forge.
                """,
            subcommands: [Add.self, List.self, Remove.self])
    }

    /// `plue ssh-authorize`: sshd's AuthorizedKeysCommand.
    struct SSHAuthorize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ssh-authorize",
            abstract: "Answer sshd's AuthorizedKeysCommand: the authorized_keys line for a known key, else nothing.",
            discussion: """
                sshd runs it as: AuthorizedKeysCommand /ABS/PATH/plue ssh-authorize --home HOME %u %t %k \
                with AuthorizedKeysCommandUser set to the account that owns HOME. When ACCOUNT is the git user \
                (set by `plue init --git-user`, default git, or --git-user) and the key is known, it prints \
                command="/ABS/PATH/plue ssh-serve --home HOME key-ID",restrict TYPE KEY; otherwise nothing. \
                It always exits 0, and logs each decision to HOME/log/ssh.log, since sshd discards its \
                standard error. sshd requires the binary and every directory above it to be owned by root \
                and not writable by group or others. The lookup opens the database read-only, but SQLite in \
                WAL mode needs write access to the database's folder even for reads: run it as the owner \
                of HOME. `plue sshd-config` prints the lines sshd needs.
                """)
        @Argument(help: "The account sshd is logging in (%u).") var account: String
        @Argument(help: "The key's type (%t).") var type: String
        @Argument(help: "The key, base64 (%k).") var key: String
        @Option(help: "The account people log in as (default: the one set at plue init, else git).") var gitUser: String?
        @OptionGroup var options: HomeOptions

        func run() throws {
            Self.execute(account: account, type: type, key: key, gitUser: gitUser, Invocation(home: options.home, json: false))
        }

        /// Never fails towards sshd: any error means "no key", and is logged.
        static func execute(account: String, type: String, key: String, gitUser: String?, _ invocation: Invocation) {
            do {
                let plue = try Plue.open(home: invocation.resolveHome(), readOnly: true)
                if let line = try plue.sshAuthorizer.authorize(account: account, type: type, base64: key, gitUser: gitUser) {
                    print(line)
                }
            } catch {
                PlueCommand.report(error as? PlueError ?? PlueError.internalError("ssh-authorize failed", cause: "\(error)"))
            }
        }
    }

    /// `plue ssh-serve key-ID`: the forced command behind every SSH login.
    struct SSHServe: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ssh-serve",
            abstract: "Run the git command an SSH client asked for, if the key may (the forced command ssh-authorize sets).",
            discussion: """
                Reads SSH_ORIGINAL_COMMAND. Allowed: git-upload-pack, git-receive-pack and git-upload-archive \
                (also spelled git upload-pack ...) with one single-quoted path OWNER/NAME, with or without a \
                leading / and a trailing .git. Fetching needs read permission, pushing needs write. Anything \
                else is refused with a one-line reason and nothing runs. Without a command it greets and exits 1.
                """)
        @Argument(help: "key-ID, as ssh-authorize wrote it.") var key: String
        @OptionGroup var options: HomeOptions

        func run() throws { try Self.execute(key: key, Invocation(home: options.home, json: false)) }

        static func execute(key: String, _ invocation: Invocation) throws {
            let plan = try invocation.open().sshSessions.plan(
                keyArgument: key, command: Environment.value("SSH_ORIGINAL_COMMAND"),
                gitProtocol: Environment.value("GIT_PROTOCOL"))
            switch plan {
            case .greeting(let text):
                print(text)
                Glibc.exit(1)
            case .git(let executable, let arguments, let environment):
                if arguments.contains("upload-archive") {
                    // Read and checked here; git reads the same bytes from a pipe in place of stdin.
                    let request = try ArchiveRequest.read(from: 0)
                    try ArchiveRequest.check(request, privateRefs: PushService.privateRefs)
                    try ProcessReplacement.replaceStandardInput(with: request)
                }
                try ProcessReplacement.exec(executable, arguments: ["git"] + arguments, environment: environment)
            }
        }
    }

    struct SSHDConfig: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sshd-config",
            abstract: "Print the sshd_config lines that send the git account's logins through Plue.",
            discussion: "Append them to /etc/ssh/sshd_config and reload sshd. See `plue help ssh-authorize` for sshd's rules.")
        @Option(help: "The account people log in as (default: the one set at plue init, else git).") var gitUser: String?
        @OptionGroup var options: HomeOptions

        func run() throws {
            let plue = try options.open()
            let user = try gitUser ?? plue.sshAuthorizer.gitUser()
            print(SSHDConfigText.render(executable: FilePath.currentExecutable(), home: plue.home.root, gitUser: user))
        }
    }
}

extension PlueCommand.SSHKeyCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a public key to an account (from --file PATH, or - for standard input).")
        @Argument(help: "The account.") var user: String
        @Argument(help: ArgumentHelp("'-' to read the key from standard input.", valueName: "-")) var standardInput: String?
        @Option(help: "A name for the key, such as the machine it is on.") var title: String
        @Option(help: ArgumentHelp("The public key file (.pub), or - for standard input.", valueName: "path")) var file: String?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let text = try KeyInput.read(file: file, positional: standardInput)
            let key = try options.open().keys.addUserKey(user: user, title: title, publicKey: text, as: .operator)
            options.render(key) { "Added key \($0.id) to \($0.user): \($0.fingerprint) (\($0.type), \($0.title))" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List an account's keys.")
        @Argument(help: "The account.") var user: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let keys = try options.open().keys.userKeys(user: user, as: .operator)
            options.render(keys) { keys in
                TextTable.render(header: ["ID", "FINGERPRINT", "TYPE", "TITLE", "ADDED"],
                                 rows: keys.map { ["\($0.id)", $0.fingerprint, $0.type, $0.title, Timestamp.iso8601($0.createdAt)] },
                                 empty: "No keys; add one with `plue ssh-key add USER --title T --file ~/.ssh/id_ed25519.pub`.")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a key by its id.")
        @Argument(help: "The key's id (see `plue ssh-key list`).") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let key = try options.open().keys.removeUserKey(id: id, as: .operator)
            options.render(key) { "Removed key \($0.id) (\($0.fingerprint)) from \($0.user)" }
        }
    }
}

/// Where a public key comes from: a file, or standard input for `-`.
enum KeyInput {
    static func read(file: String?, positional: String?) throws -> String {
        if let positional, positional != "-" {
            throw PlueError.usage("unexpected argument '\(positional)'; pass the key with --file PATH or - for standard input")
        }
        switch (file, positional) {
        case (nil, nil):
            throw PlueError.usage("no key given; pass --file PATH (such as ~/.ssh/id_ed25519.pub) or - to read standard input")
        case (.some, .some):
            throw PlueError.usage("give the key once: --file PATH or -, not both")
        case ("-", nil), (nil, "-"):
            return try readLimited(FileHandleReader.standardInput())
        case (let path?, nil):
            return try readLimited(FileHandleReader.file(path))
        default:
            throw PlueError.usage("give the key with --file PATH or -")
        }
    }

    private static func readLimited(_ bytes: [UInt8]) throws -> String {
        guard bytes.count <= 16 * 1024 else {
            throw PlueError.invalidInput("the key is larger than 16 KiB; give one OpenSSH public key (the .pub file)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
