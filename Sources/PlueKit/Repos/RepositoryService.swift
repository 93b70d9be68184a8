import Foundation

/// Repositories: each one a bare git directory under `repos/OWNER/NAME.git` plus one database row,
/// created and removed so that a failure at any step leaves neither without the other.
public struct RepositoryService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let hooks: HookInstaller

    public func create(_ fullName: String, description: String = "", isPrivate: Bool = false,
                       defaultBranch: String = "main") throws -> Repository {
        let (ownerName, name) = try Validation.fullName(fullName)
        let description = try Validation.description(description)
        let branch = try Self.validatedBranch(defaultBranch)
        let owner = try owner(named: ownerName)
        return try place(owner: owner, name: name, description: description, isPrivate: isPrivate) { staging in
            _ = try GitRepository.createBare(at: staging, initialBranch: "refs/heads/" + branch)
            return branch
        }
    }

    /// Copies every ref of `source` (anything `git clone --mirror` accepts) into a new repository.
    /// Its default branch is the one the source's HEAD names.
    public func importRepository(_ fullName: String, from source: String, description: String = "",
                                 isPrivate: Bool = false, showProgress: Bool = false) throws -> Repository {
        let (ownerName, name) = try Validation.fullName(fullName)
        let description = try Validation.description(description)
        guard !source.isEmpty, !source.hasPrefix("-"), source.utf8.count <= 4096,
              !source.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw PlueError.invalidInput("invalid import source \(Validation.quoted(source)): give a path or URL that `git clone` accepts")
        }
        let owner = try owner(named: ownerName)
        return try place(owner: owner, name: name, description: description, isPrivate: isPrivate) { staging in
            let clone = try GitCommandLine.run(
                ["clone", "--mirror", "--no-local", showProgress ? "--progress" : "--quiet", "--", source, staging],
                passErrorOutput: showProgress)
            guard clone.status == 0 else {
                let reason = clone.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                throw PlueError.failed("cannot import from \(source): git clone failed" + (showProgress ? "; see git's messages above" : ""),
                                       cause: reason.isEmpty ? nil : reason)
            }
            // The copy is a forge repository now, not a mirror that fetches from its source.
            _ = try GitCommandLine.run(["--git-dir", staging, "config", "--remove-section", "remote.origin"])
            let repository = try GitRepository.open(staging)
            return repository.headBranch() ?? "main"
        }
    }

    public func list(owner: String? = nil) throws -> [Repository] {
        if let owner { _ = try self.owner(named: Validation.userNameForLookup(owner)) }
        return try database.repositories(owner: owner).map(repository)
    }

    public func find(_ fullName: String) throws -> Repository {
        let (owner, name) = try Validation.fullName(fullName)
        guard let row = try database.repository(owner: owner, name: name) else {
            throw PlueError.notFound("no repository \(owner)/\(name); list repositories with `plue repo list`")
        }
        return repository(row)
    }

    public func show(_ fullName: String) throws -> RepositoryDetails {
        let repository = try find(fullName)
        return RepositoryDetails(repository: repository, branches: try openGit(repository).branches())
    }

    public func delete(_ fullName: String) throws -> Repository {
        let repository = try find(fullName)
        // Sessions go with their repository (the rows by cascade, the working copies below).
        let sessionIDs = try database.sessions(repositoryID: repository.id, includeInactive: true).map(\.id)
        let parked = home.trashPath + "/" + FileSystem.randomName() + ".git"
        var moved = false
        do {
            try database.deleteRepository(id: repository.id) {
                guard FileSystem.exists(repository.path) else { return }
                try FileSystem.createDirectory(home.trashPath)
                try FileSystem.rename(repository.path, to: parked)
                moved = true
            }
        } catch {
            // The row is still there (the transaction rolled back): so must the directory be.
            if moved { try? FileSystem.rename(parked, to: repository.path) }
            throw error
        }
        // The row is gone and the directory is out of sight; removing the files is only cleanup.
        try? FileSystem.remove(parked)
        for id in sessionIDs { try? FileSystem.remove(home.sessionsPath + "/" + id) }
        return repository
    }

    func openGit(_ repository: Repository) throws -> GitRepository {
        guard FileSystem.isDirectory(repository.path) else {
            throw PlueError.failed("the git directory of \(repository.fullName) is missing at \(repository.path); restore it from a backup or delete the repository")
        }
        return try GitRepository.open(repository.path)
    }

    func owner(named name: String) throws -> User {
        guard let user = try database.user(named: name) else {
            throw PlueError.notFound("no user named \(name); create one with `plue user create \(name) --email EMAIL`")
        }
        return user
    }

    func repository(_ row: RepositoryRow) -> Repository {
        Repository(id: row.id, owner: row.owner, name: row.name, description: row.description, isPrivate: row.isPrivate,
                   defaultBranch: row.defaultBranch, sizeBytes: row.sizeBytes, createdAt: row.createdAt,
                   path: home.repositoryPath(owner: row.owner, name: row.name))
    }

    static func validatedBranch(_ branch: String) throws -> String {
        // libgit2 reads C strings: a NUL would cut the name short, so control characters are refused first.
        guard !branch.hasPrefix("-"), branch.utf8.count <= 255, !branch.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }),
              GitRepository.isValidBranchName(branch) else {
            throw PlueError.invalidInput("invalid branch name \(Validation.quoted(branch)): use a name git accepts for a branch, such as main")
        }
        return branch
    }
}
