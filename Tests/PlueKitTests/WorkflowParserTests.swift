import Foundation
import PlueKit
import Testing

/// Workflow files as Yams reads them: what parses, and every way a file is refused with its line.
@Suite struct WorkflowParserTests {
    func parse(_ text: String, path: String = ".plue/workflows/ci.yml") -> Result<Workflow, WorkflowError> {
        WorkflowParser.parse(Array(text.utf8), path: path)
    }

    func error(_ text: String) -> WorkflowError? {
        if case .failure(let error) = parse(text) { return error }
        return nil
    }

    @Test func theIssuesExampleParses() throws {
        let workflow = try parse("""
            name: CI
            on:
              push: {branches: [main, "release/*"], paths: ["Sources/**"]}
              land: {}
              manual: {}
            env: {LEVEL: "1"}
            jobs:
              build:
                timeout-minutes: 10
                steps:
                  - name: Compile
                    run: make
              test:
                needs: [build]
                env: {FAST: "1"}
                steps:
                  - run: ./scripts/test
                    working-directory: sub
                    continue-on-error: false
            """).get()
        #expect(workflow.name == "CI")
        #expect(workflow.on.push?.branches == ["main", "release/*"])
        #expect(workflow.on.push?.paths == ["Sources/**"])
        #expect(workflow.on.land && workflow.on.manual)
        #expect(workflow.env == [Workflow.EnvironmentEntry(name: "LEVEL", value: "1")])
        #expect(workflow.jobs.map(\.id) == ["build", "test"])
        #expect(workflow.jobs[0].timeoutMinutes == 10)
        #expect(workflow.jobs[0].steps[0].name == "Compile")
        #expect(workflow.jobs[1].needs == ["build"])
        #expect(workflow.jobs[1].steps[0].workingDirectory == "sub")
        #expect(workflow.jobs[1].steps[0].name == "./scripts/test", "a step without a name is named by its command")
    }

    @Test func onTakesAWordAListOrAMapping() throws {
        #expect(try parse("on: push\njobs: {a: {steps: [{run: x}]}}").get().on.push != nil)
        let both = try parse("on: [push, manual]\njobs: {a: {steps: [{run: x}]}}").get()
        #expect(both.on.push != nil && both.on.manual && !both.on.land)
        #expect(try parse("on:\n  land:\njobs: {a: {steps: [{run: x}]}}").get().on.land)
    }

    @Test func aFileWithoutANameIsNamedByItsFile() throws {
        #expect(try parse("on: push\njobs: {a: {steps: [{run: x}]}}", path: ".plue/workflows/lint.yaml").get().name == "lint")
    }

    @Test func everyMistakeSaysWhereAndWhy() {
        let cases: [(String, Int?, String)] = [
            ("on: push\njobs:\n  a:\n    steps:\n      - run: x\n    runs-on: ubuntu-latest\n", 6, "unknown key 'runs-on'"),
            ("on: push\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n", 5, "'uses' is not supported"),
            ("on:\n  pull_request: {}\njobs: {a: {steps: [{run: x}]}}\n", 2, "unknown event 'pull_request'"),
            ("on:\n  push: {branch: [main]}\njobs: {a: {steps: [{run: x}]}}\n", 2, "unknown key 'branch'"),
            ("on: push\njobs:\n  a:\n    needs: [b]\n    steps: [{run: x}]\n", 4, "needs 'b', which is not a job"),
            ("on: push\njobs:\n  a:\n    needs: b\n    steps: [{run: x}]\n  b:\n    needs: a\n    steps: [{run: y}]\n", nil, "needs itself"),
            ("on: push\njobs:\n  a:\n    steps: []\n", 4, "at least one step"),
            ("on: push\njobs:\n  a:\n    steps:\n      - name: nothing\n", 5, "has no 'run'"),
            ("on: push\njobs:\n  a:\n    timeout-minutes: -1\n    steps: [{run: x}]\n", 4, "minutes above 0"),
            ("on: push\njobs:\n  a:\n    steps:\n      - run: x\n        working-directory: ../up\n", 6, "inside the checkout"),
            ("on: push\nenv: {PLUE_SHA: x}\njobs: {a: {steps: [{run: x}]}}\n", 2, "set by the runner"),
            ("on: push\nenv: {\"1A\": x}\njobs: {a: {steps: [{run: x}]}}\n", 2, "not a variable name"),
            ("on: push\njobs:\n  \"a b\":\n    steps: [{run: x}]\n", 3, "not a job id"),
            ("jobs: {a: {steps: [{run: x}]}}\n", nil, "no 'on'"),
            ("on: push\n", nil, "no 'jobs'"),
            ("on: push\njobs: {a: {steps: [{run: x}]}\n  b: [\n", 3, "not valid YAML"),
            ("on: push\non: manual\njobs: {a: {steps: [{run: x}]}}\n", nil, "appears twice"),
            ("", nil, "empty"),
            ("- just\n- a list\n", 1, "must be a mapping"),
        ]
        for (text, line, reason) in cases {
            let found = error(text)
            #expect(found?.reason.contains(reason) == true, "\(text): \(String(describing: found))")
            if let line { #expect(found?.line == line, "\(text): \(String(describing: found))") }
            #expect(found?.description.hasPrefix(".plue/workflows/ci.yml") == true)
        }
    }

    @Test func aliasesCannotExpandWithoutBound() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "on: push\njobs:\n  a:\n    env: *a8\n    steps: [{run: x}]\n"
        let started = Date()
        let found = error(text)
        #expect(found != nil)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aliasesCannotMakeASmallFileStandForMuchText() {
        let script = String(repeating: "A", count: 200_000)
        var text = "on: manual\njobs:\n  a:\n    steps:\n      - run: &big \"echo \(script)\"\n"
        for _ in 1...10 { text += "      - run: *big\n" }
        #expect(error(text)?.reason.contains("KiB of text") == true)
        let long = String(repeating: "n", count: 300)
        #expect(error("on: push\njobs:\n  a:\n    name: \(long)\n    steps: [{run: x}]\n")?.reason.contains("longer than 255") == true)
        let named = try? parse("on: push\njobs:\n  a:\n    steps: [{run: \"echo \(long)\"}]\n").get()
        #expect(named?.jobs.first?.steps.first?.name.utf8.count == 255, "a step named by its command gets a name's length")
    }

    @Test func notUTF8AndTooLargeAreRefused() {
        #expect(WorkflowParser.parse([0x6f, 0x6e, 0xff], path: "x.yml").isFailure)
        let big = "on: push\njobs: {a: {steps: [{run: x}]}}\n#" + String(repeating: "x", count: WorkflowParser.maxBytes)
        #expect(error(big)?.reason.contains("at most") == true)
    }

    @Test func pushFiltersFollowGitHub() {
        func filter(_ yaml: String) -> Workflow.PushFilter {
            (try? parse("on:\n  push: \(yaml)\njobs: {a: {steps: [{run: x}]}}").get().on.push) ?? Workflow.PushFilter()
        }
        let branches = filter("{branches: [main, \"release/*\", \"!release/old\"]}")
        #expect(branches.matches(ref: "refs/heads/main", changedPaths: nil))
        #expect(branches.matches(ref: "refs/heads/release/1.0", changedPaths: nil))
        #expect(!branches.matches(ref: "refs/heads/release/old", changedPaths: nil), "! takes back an earlier match")
        #expect(!branches.matches(ref: "refs/heads/release/a/b", changedPaths: nil), "* stops at /")
        #expect(!branches.matches(ref: "refs/tags/v1", changedPaths: nil), "branch filters only: tags do not start it")
        let deep = filter("{branches: [\"feature/**\"]}")
        #expect(deep.matches(ref: "refs/heads/feature/a/b/c", changedPaths: nil))
        let tags = filter("{tags: [\"v*\"]}")
        #expect(tags.matches(ref: "refs/tags/v1.2", changedPaths: nil))
        #expect(!tags.matches(ref: "refs/heads/main", changedPaths: nil), "tag filters only: branches do not start it")
        let ignore = filter("{branches-ignore: [\"wip/**\"]}")
        #expect(!ignore.matches(ref: "refs/heads/wip/x", changedPaths: nil))
        #expect(ignore.matches(ref: "refs/heads/main", changedPaths: nil))
        let paths = filter("{paths: [\"Sources/**\", \"!Sources/**/*.md\"]}")
        #expect(paths.matches(ref: "refs/heads/main", changedPaths: ["README.md", "Sources/a/b.swift"]))
        #expect(!paths.matches(ref: "refs/heads/main", changedPaths: ["README.md", "Sources/a/notes.md"]))
        let pathsIgnore = filter("{paths-ignore: [\"docs/**\"]}")
        #expect(!pathsIgnore.matches(ref: "refs/heads/main", changedPaths: ["docs/a.md"]))
        #expect(pathsIgnore.matches(ref: "refs/heads/main", changedPaths: ["docs/a.md", "main.c"]))
        let any = filter("{}")
        #expect(any.matches(ref: "refs/heads/x", changedPaths: nil) && any.matches(ref: "refs/tags/x", changedPaths: nil))
        #expect(!any.matches(ref: "refs/plue/sessions/x", changedPaths: nil))
    }

    @Test func patternsHaveGitHubsCountsAndSets() {
        func matches(_ pattern: String, _ branch: String) -> Bool {
            Workflow.PushFilter(branches: [pattern]).matches(ref: "refs/heads/" + branch, changedPaths: nil)
        }
        #expect(matches("v[0-9]+.[0-9]+.[0-9]+", "v1.22.3"))
        #expect(!matches("v[0-9]+.[0-9]+.[0-9]+", "v1.x.3"))
        #expect(matches("fix+", "fixx") && matches("fix+", "fix") && !matches("fix+", "fi"))
        #expect(matches("feat?", "fea") && matches("feat?", "feat") && !matches("feat?", "featx"))
        #expect(matches("a\\*b", "a*b") && !matches("a\\*b", "axb"))
        #expect(matches("[a-c]x", "bx") && !matches("[a-c]x", "dx"))
        if case .failure(let error) = parse("on:\n  push: {branches: [\"!wip\"]}\njobs: {a: {steps: [{run: x}]}}") {
            #expect(error.reason.contains("only '!' patterns"))
        } else {
            Issue.record("a list of negations alone was taken")
        }
    }

    @Test func aHostilePatternIsMatchedInLinearTime() {
        let filter = Workflow.PushFilter(branches: [String(repeating: "*a", count: 200) + "b"])
        let started = Date()
        #expect(!filter.matches(ref: "refs/heads/" + String(repeating: "a", count: 250), changedPaths: nil))
        #expect(Date().timeIntervalSince(started) < 1)
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
