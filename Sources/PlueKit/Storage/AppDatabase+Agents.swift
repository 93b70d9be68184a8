import Foundation
import GRDB

extension AppDatabase {
    /// Records a registered agent; a name taken already (ignoring case) is refused.
    func addAgent(name: String, command: [String], environment: [String], timeoutSeconds: Int64, at time: Date) throws -> Agent {
        try write("cannot register the agent \(name)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM agent WHERE name = ?", arguments: [name]) == true {
                throw PlueError.alreadyExists("an agent named \(name) is registered already (names ignore case); "
                                              + "remove it first with `plue agent remove \(name)`, or choose another name")
            }
            try db.execute(
                sql: "INSERT INTO agent (name, command, environment, timeout_seconds, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, JSON.array(command.map(JSON.string)).rendered(), environment.joined(separator: "\n"), timeoutSeconds,
                            Self.seconds(time)])
            return try Self.agent(db, name: name)!
        }
    }

    func agents() throws -> [Agent] {
        try read("cannot list the registered agents") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM agent ORDER BY name").map(Self.agent)
        }
    }

    func agent(named name: String) throws -> Agent? {
        try read("cannot read the agent \(name)") { db in try Self.agent(db, name: name) }
    }

    /// True when there was one.
    func removeAgent(named name: String) throws -> Bool {
        try write("cannot remove the agent \(name)") { db in
            try db.execute(sql: "DELETE FROM agent WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    private static func agent(_ db: Database, name: String) throws -> Agent? {
        try Row.fetchOne(db, sql: "SELECT * FROM agent WHERE name = ?", arguments: [name]).map(agent)
    }

    private static func agent(_ row: Row) -> Agent {
        let command: String = row["command"]
        let environment: String = row["environment"]
        return Agent(name: row["name"],
                     command: (try? JSONSerialization.jsonObject(with: Data(command.utf8)) as? [String]) ?? [],
                     environment: environment.split(separator: "\n").map(String.init),
                     timeoutSeconds: row["timeout_seconds"], createdAt: date(row["created_at"]))
    }
}
