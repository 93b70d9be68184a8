import Hummingbird
import PlueKit

/// A true/false query parameter (`?all=true`, `?force=true`): absent is false; any other value,
/// or the parameter given twice, is 400, since a misspelt `force` must not quietly mean "no".
enum QueryFlag {
    static func value(_ request: Request, _ name: String) throws -> Bool {
        let values = request.uri.queryParameters.getAll(name)
        guard let value = values.first else { return false }
        guard values.count == 1, value == "true" || value == "false" else {
            throw PlueError.usage("the query parameter \(name) must be true or false, given once")
        }
        return value == "true"
    }
}
