import Foundation
import Hummingbird

/// The console's own stylesheet and script (no CDN, no external fonts: it runs on a closed network).
enum StaticRoutes {
    static func add(to router: Router<ConsoleRequestContext>) {
        for (name, type) in [("console.css", "text/css; charset=utf-8"), ("console.js", "text/javascript; charset=utf-8")] {
            let text =
                Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Static")
                .flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
            router.get("/static/\(name)") { _, _ in
                Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
    }
}
