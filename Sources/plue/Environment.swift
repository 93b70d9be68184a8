import Glibc

/// One environment variable at a time: `ProcessInfo.environment` copies the whole environment
/// into a dictionary, a measurable part of a 10 ms command.
enum Environment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
