import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct SSHPublicKeyTests {
    let directory = TemporaryDirectory("plue-keys")

    @Test(arguments: [("ed25519", nil), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521), ("rsa", 2048), ("rsa", 3072)] as [(String, Int?)])
    func acceptsKeysAndFingerprintsThemAsSSHKeygenDoes(_ type: String, _ bits: Int?) throws {
        let generated = try GeneratedKey.make(type, bits: bits, in: directory.path)
        let key = try SSHPublicKey.parse(generated.publicKeyLine)
        #expect(key.fingerprint == (try generated.sshKeygenFingerprint()))
        #expect(key.type == generated.type && key.base64 == generated.base64)
        #expect(key.normalized == "\(generated.type) \(generated.base64)")
        if type == "rsa" { #expect(key.bits == bits) }
    }

    /// Security keys cannot be generated without a device; their blobs are assembled by hand
    /// in the wire format OpenSSH uses (PROTOCOL.u2f).
    @Test func acceptsSecurityKeyTypes() throws {
        let ed = wire(["sk-ssh-ed25519@openssh.com", Data(repeating: 7, count: 32), "ssh:"])
        let key = try SSHPublicKey.parse("sk-ssh-ed25519@openssh.com \(ed.base64EncodedString()) yubikey")
        #expect(key.type == "sk-ssh-ed25519@openssh.com" && key.fingerprint.hasPrefix("SHA256:"))
        let ecdsa = wire(["sk-ecdsa-sha2-nistp256@openssh.com", "nistp256", Data([4] + Array(repeating: 9, count: 64)), "ssh:"])
        #expect(try SSHPublicKey.parse("sk-ecdsa-sha2-nistp256@openssh.com \(ecdsa.base64EncodedString())").type
            == "sk-ecdsa-sha2-nistp256@openssh.com")
    }

    @Test func refusesWeakAndUnsupportedKeys() throws {
        let shortRSA = try GeneratedKey.make("rsa", bits: 1024, in: directory.path)
        let error = plueError { _ = try SSHPublicKey.parse(shortRSA.publicKeyLine) }
        #expect(error?.code == .invalidInput && error?.message.contains("2048") == true)
        let dsa = wire(["ssh-dss", Data([1]), Data([2]), Data([3]), Data([4])]).base64EncodedString()
        #expect(plueError { _ = try SSHPublicKey.parse("ssh-dss \(dsa)") }?.message.contains("DSA") == true)
        #expect(plueError { _ = try SSHPublicKey.parse("ssh-ed25519-cert-v01@openssh.com AAAA") }?.code == .invalidInput)
        #expect(plueError { _ = try SSHPublicKey.parse("ssh-foo AAAA") }?.code == .invalidInput)
    }

    @Test func refusesMalformedKeys() throws {
        let good = try GeneratedKey.make("ed25519", in: directory.path)
        let blob = try #require(Data(base64Encoded: good.base64))
        let cases: [String] = [
            "", "   ", "\n\n", "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5",
            "ssh-ed25519 !!!notbase64!!!",
            "ssh-ed25519 \(good.base64.dropLast(4))",                                  // truncated
            "ssh-rsa \(good.base64)",                                                   // type does not match the blob
            "ssh-ed25519 \((blob + Data([0])).base64EncodedString())",                  // trailing bytes
            "ssh-ed25519 \(wire(["ssh-ed25519", Data(repeating: 1, count: 31)]).base64EncodedString())", // short key
            "ecdsa-sha2-nistp256 \(wire(["ecdsa-sha2-nistp256", "nistp384", Data([4] + Array(repeating: 1, count: 64))]).base64EncodedString())",
            "\(good.publicKeyLine)\n\(good.publicKeyLine)",                            // two keys
            "ssh-ed25519 \(good.base64)\0",
            "ssh-ed25519 \(String(repeating: "A", count: 20000))",
            "command=\"rm -rf /\" \(good.publicKeyLine)",                               // authorized_keys options
        ]
        for text in cases {
            #expect(plueError { _ = try SSHPublicKey.parse(text) }?.code == .invalidInput, "accepted \(text.debugDescription.prefix(80))")
        }
        // A comment, surrounding blank lines and spaces are fine.
        #expect(try SSHPublicKey.parse("\n  \(good.base64.isEmpty ? "" : good.publicKeyLine)  \n").base64 == good.base64)
    }

    /// SSH wire format: each field a 32-bit big-endian length and its bytes.
    func wire(_ fields: [Any]) -> Data {
        var data = Data()
        for field in fields {
            let bytes = (field as? Data) ?? Data((field as! String).utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { data.append(contentsOf: $0) }
            data.append(bytes)
        }
        return data
    }
}
