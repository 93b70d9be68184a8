import Foundation
import PlueKit

/// Reading small inputs for commands, with errors in Plue's terms.
enum FileHandleReader {
    static func standardInput(limit: Int = 1 << 20) throws -> [UInt8] {
        let data = FileHandle.standardInput.readData(ofLength: limit + 1)
        guard data.count <= limit else { throw PlueError.invalidInput("standard input is larger than \(limit) bytes") }
        return [UInt8](data)
    }

    static func file(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PlueError.notFound("cannot read \(path); check the path")
        }
        defer { try? handle.close() }
        let data = handle.readData(ofLength: limit + 1)
        guard data.count <= limit else { throw PlueError.invalidInput("\(path) is larger than \(limit) bytes") }
        return [UInt8](data)
    }
}
