import Foundation

extension RepositoryService {
    /// Builds a repository in a staging directory with `build` (which returns its default branch),
    /// installs the hooks, then records the row and moves the directory into place in one transaction.
    func place(owner: User, name: String, description: String, isPrivate: Bool,
               build: (String) throws -> String) throws -> Repository {
        let finalPath = home.repositoryPath(owner: owner.name, name: name)
        if let existing = try database.repository(owner: owner.name, name: name) {
            throw PlueError.alreadyExists("the repository \(existing.owner)/\(existing.name) exists already (names ignore case); choose another name")
        }
        if FileSystem.exists(finalPath) {
            throw PlueError.alreadyExists("\(finalPath) exists but is not a recorded repository (left by an interrupted operation?); move it away, then try again")
        }
        if FileSystem.isReadOnlyFileSystem(home.repositoriesPath) {
            throw PlueError(.unavailable, "\(home.repositoriesPath) is on a read-only file system; remount it read-write and try again")
        }
        try FileSystem.createDirectory(home.stagingPath)
        // What a killed create or delete left behind: invisible, but it should not pile up.
        FileSystem.removeEntries(in: home.stagingPath, olderThan: PlueHome.leftoverAge)
        FileSystem.removeEntries(in: home.trashPath, olderThan: PlueHome.leftoverAge)
        let staging = home.stagingPath + "/" + FileSystem.randomName() + ".git"
        defer { try? FileSystem.remove(staging) }
        let defaultBranch = try build(staging)
        try hooks.install(inGitDirectory: staging, fullName: "\(owner.name)/\(name)")
        let new = NewRepository(
            ownerID: owner.id, owner: owner.name, name: name, description: description, isPrivate: isPrivate,
            defaultBranch: defaultBranch, sizeBytes: FileSystem.diskUsage(staging), createdAt: Timestamp.now())
        var moved = false
        let id: Int64
        do {
            id = try database.createRepository(new) {
                try FileSystem.createDirectory(home.repositoriesPath + "/" + owner.name)
                try FileSystem.rename(staging, to: finalPath)
                moved = true
            }
        } catch {
            // The directory moved but the commit failed: take it back out of sight.
            if moved { try? FileSystem.rename(finalPath, to: staging) }
            throw error
        }
        return Repository(id: id, owner: owner.name, name: name, description: description, isPrivate: isPrivate,
                          defaultBranch: defaultBranch, sizeBytes: new.sizeBytes, createdAt: new.createdAt, path: finalPath)
    }
}
