/// The sshd_config block that sends the git account's logins through `plue ssh-authorize`.
public enum SSHDConfigText {
    public static func render(executable: String, home: String, gitUser: String) -> String {
        // sshd puts the login's account, key type and key in place of %u %t %k.
        let lookup = InternalCommandLine.sshAuthorize(home: home, account: "%u", type: "%t", key: "%k")
        return """
        # Plue: append to /etc/ssh/sshd_config, then reload sshd (systemctl reload ssh).
        # sshd requires \(executable) and every directory above it to be owned by root and not
        # writable by group or others. The lookup runs as \(gitUser), who must own \(home):
        # SQLite in WAL mode needs write access to the database's folder even to read.
        Match User \(gitUser)
            AuthorizedKeysFile none
            AuthorizedKeysCommand \(executable) \(lookup.arguments().joined(separator: " "))
            AuthorizedKeysCommandUser \(gitUser)
            AcceptEnv GIT_PROTOCOL
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitTTY no
            AllowTcpForwarding no
            AllowStreamLocalForwarding no
            AllowAgentForwarding no
            X11Forwarding no
            PermitTunnel no
            GatewayPorts no
        """
    }
}
