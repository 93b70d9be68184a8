import Hummingbird
import PlueKit

/// The routes that record operations: snapshot, commit, undo, redo, restore, revert, unrevert,
/// undo turns, fork and abort. Each answers as the CLI's `--json` does, those that move the session
/// with its new ETag (for `If-Match`); a session another request (a running turn) holds answers 503
/// naming it, and nothing is changed.
extension SessionRoutes {
    func registerHistory(on router: RouteList) {
        let limit = settings.maxBodyBytes
        on(router, .post, "/snapshot", scope: .writeRepository) { call in
            let message = try await JSONBody.read(call.request, limit: limit, allowingEmpty: true, fields: ["message"]).string("message")
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.snapshot(id, message: message, as: principal)
            })
        }
        on(router, .post, "/commit", scope: .writeRepository) { call in
            let message = try await JSONBody.read(call.request, limit: limit, fields: ["message"]).requiredString("message")
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.commit(id, message: message, as: principal)
            })
        }
        on(router, .post, "/undo", scope: .writeRepository) { call in
            try await JSONBody.refuseFields(call.request, limit: limit)
            return Self.tagged(try await call.run { plue, id, principal in try plue.sessions.undo(id, as: principal) })
        }
        on(router, .post, "/redo", scope: .writeRepository) { call in
            try await JSONBody.refuseFields(call.request, limit: limit)
            return Self.tagged(try await call.run { plue, id, principal in try plue.sessions.redo(id, as: principal) })
        }
        on(router, .post, "/restore", scope: .writeRepository) { call in
            guard let operation = try await JSONBody.read(call.request, limit: limit, fields: ["operation"]).int("operation") else {
                throw PlueError.usage("the field operation is required: the id of the operation whose state to bring back")
            }
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.restore(id, operation: operation, as: principal)
            })
        }
        on(router, .post, "/revert", scope: .writeRepository) { call in
            guard let turn = try await JSONBody.read(call.request, limit: limit, fields: ["to_turn"]).int("to_turn") else {
                throw PlueError.usage("the field to_turn is required: the turn whose end to go back to")
            }
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.revert(id, toTurn: turn, as: principal)
            })
        }
        on(router, .post, "/unrevert", scope: .writeRepository) { call in
            try await JSONBody.refuseFields(call.request, limit: limit)
            return Self.tagged(try await call.run { plue, id, principal in try plue.sessions.unrevert(id, as: principal) })
        }
        on(router, .post, "/undo-turns", scope: .writeRepository) { call in
            let count = try await JSONBody.read(call.request, limit: limit, allowingEmpty: true, fields: ["count"]).int("count") ?? 1
            guard let count = Int(exactly: count) else { throw PlueError.invalidInput("count is out of range") }
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.undoTurns(id, count: count, as: principal)
            })
        }
        on(router, .post, "/fork", scope: .writeRepository) { call in
            // A fork is a new session, outside what a token limited to this one reaches.
            try await call.caller.authorize(repository: call.repository)
            let body = try await JSONBody.read(call.request, limit: limit, allowingEmpty: true, fields: ["at", "operation", "title"])
            let (at, operation, title) = (try body.string("at"), try body.int("operation"), try body.string("title"))
            return JSONResponse.make(APIJSON.of(try await call.run { plue, id, principal in
                try plue.sessions.fork(id, at: at, operation: operation, title: title, as: principal)
            }), status: 201)
        }
        on(router, .post, "/abort", scope: .writeRepository) { call in
            try await JSONBody.refuseFields(call.request, limit: limit)
            return JSONResponse.make(APIJSON.of(try await call.run { plue, id, principal in try plue.sessions.abort(id, as: principal) }))
        }
    }
}
