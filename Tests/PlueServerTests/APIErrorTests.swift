import Foundation
@testable import PlueServer
import Testing

/// The one error body: a message that names a file of the home names it from the home, so a
/// client never learns where the server keeps its data.
@Suite struct APIErrorTests {
    @Test func theHomesFolderIsNotShown() {
        let home = "/srv/plue"
        #expect(APIError.hiding(home, in: "cannot compare /srv/plue/sessions/0123/work with its last snapshot")
                == "cannot compare sessions/0123/work with its last snapshot")
        #expect(APIError.hiding(home, in: "cannot open /srv/plue") == "cannot open the server's home")
        #expect(APIError.hiding(home, in: "no repository alice/demo") == "no repository alice/demo")
        #expect(APIError.hiding("/", in: "a / b") == "a / b", "a home at the root hides nothing")
    }
}
