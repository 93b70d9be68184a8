/// What every door that runs `git upload-pack` or `git receive-pack` for a client (SSH, HTTP)
/// gives it: the private refs hidden and kept out of every pack, who pushes for the hooks, and the
/// client's protocol version.
enum GitTransport {
    /// refs/plue/ is hidden from the advertisement and refused on push (receive-pack rejects
    /// updates of hidden refs); the pre-receive hook refuses it for every other transport too.
    /// Hiding a ref does not stop a fetch of what it reaches by id, so `packObjectsHook` checks
    /// every pack before upload-pack sends it; upload-archive takes ref names only (ArchiveRequest
    /// refuses refs/plue/ names), whatever the server's own git config says.
    static let hiddenRefArguments = ["-c", "uploadpack.hideRefs=" + PushService.privateRefs,
                                     "-c", "receive.hideRefs=" + PushService.privateRefs,
                                     "-c", "uploadpack.packObjectsHook=" + packObjectsHook,
                                     "-c", "uploadarchive.allowUnreachable=false"]

    /// Runs in place of `git pack-objects` (git appends that command, which this runs, after the
    /// check, on the same input) and refuses to pack anything that no ref outside refs/plue/
    /// reaches. Protocol v2's fetch packs any object a client names by id (gitprotocol-v2: "wants
    /// can be anything") and git 2.39 has no setting against it; over HTTP, v0 checks only that a
    /// wanted commit is reachable, so a blob's id gets the blob; `allowReachableSHA1InWant` and
    /// `allowTipSHA1InWant` count hidden refs as reachable. The wants are the lines of git's input
    /// to pack-objects that are not options (`-...`) and not after `--not`; `rev-list --objects`
    /// prints what they reach that the visible refs do not, so a public blob or tree asked for by
    /// its id is refused too, as git's v0 over SSH does. git takes this hook only from protected config.
    /// Every fetch pays for it, so it starts as few programs as it can: the shell itself picks the
    /// wants out of the lines (split at newlines, globbing off), and they reach `rev-list` through a
    /// here-document; `cat` and `rev-list` are all it starts before pack-objects (about 4 ms added
    /// to a fetch, where an `awk` and two more pipes made it 9; docs/performance.md).
    static let packObjectsHook = """
        plue_pack_reachable() {
            request=$(cat; echo .) || exit 1
            request=${request%.}
            wants= negated=
            set -f
            IFS='
        '
            for line in $request; do
                case $line in
                    --not) if [ -n "$negated" ]; then negated=; else negated=1; fi ;;
                    -*) ;;
                    *) [ -n "$negated" ] || wants="$wants$line
        " ;;
                esac
            done
            if [ -z "$wants" ]; then echo "plue: no object asked for" >&2; exit 1; fi
            unreachable=$(git rev-list --objects --stdin --not --exclude='\(PushService.privateRefs)*' --all <<PLUE_WANTS
        $wants
        PLUE_WANTS
            ) || exit 1
            if [ -n "$unreachable" ]; then echo "plue: only what a branch or tag reaches can be fetched" >&2; exit 1; fi
            printf %s "$request" | "$@"
        }; plue_pack_reachable
        """

    /// `PLUE_PUSHER` or `PLUE_DEPLOY_KEY` for the hooks, and `GIT_PROTOCOL` when the client sent a
    /// value git could not misread.
    static func environment(for principal: Principal, gitProtocol: String?) -> [String: String] {
        var environment: [String: String] = [:]
        switch principal {
        case .user(let user): environment["PLUE_PUSHER"] = user.name
        case .deployKey(let key): environment["PLUE_DEPLOY_KEY"] = String(key.id)
        case .operator, .anonymous: break
        }
        if let gitProtocol, isSafeProtocolValue(gitProtocol) { environment["GIT_PROTOCOL"] = gitProtocol }
        return environment
    }

    /// Whether the client asked for protocol version 2 (`version=2` among `GIT_PROTOCOL`'s
    /// colon-separated entries).
    static func wantsVersion2(_ gitProtocol: String?) -> Bool {
        guard let gitProtocol, isSafeProtocolValue(gitProtocol) else { return false }
        return gitProtocol.split(separator: ":").contains("version=2")
    }

    /// `version=2` and the like: what git clients send, nothing a shell or git could misread.
    static func isSafeProtocolValue(_ value: String) -> Bool {
        value.utf8.count <= 256 && value.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || [UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_")].contains($0)
        }
    }
}
