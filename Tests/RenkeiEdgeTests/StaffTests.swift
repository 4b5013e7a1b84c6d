import Foundation
import RenkeiConfig
import RenkeiCore
import RenkeiEdge
import RenkeiStore
import RenkeiTestSupport
import Testing

/// Issue 12 §2: staff accounts. Each case goes over the real path (mutual TLS to the edges and
/// the admin API) and asserts the exact code.
@Suite("Staff who sign in", .queuedTimeLimit)
struct StaffTests {
    /// bcrypt at its lowest cost, so a dozen sign-ins stay quick; the cost is read back below.
    static func cheapHashing(_ topology: inout Topology) { topology.staff.passwordCost = 4 }

    static func account(_ user: String, systems: [String], department: String = "3595115400", validUntil: String? = nil) -> [String: Any] {
        var body: [String: Any] = ["userId": user, "name": "試験 職員（架空）", "department": department, "systems": systems]
        if let validUntil { body["validUntil"] = validUntil }
        return body
    }

    @Test("an inquiry names a known operator of the system's 事務, or is refused with the exact code")
    func operatorsAreChecked() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            func ask(_ extra: [String: Any], as system: String = "tomakomai/kokuho") async throws -> HTTPSClient.Response {
                var body = inquiry(mover)
                body["userId"] = nil
                return try await edge.call(system, "atena-tomakomai", .POST, "/v1/inquiries", json: body.merging(extra) { $1 })
            }
            expectError(try await ask([:]), 403, "OPERATOR_REQUIRED")
            expectError(try await ask(["userId": "nobody"]), 403, "UNKNOWN_OPERATOR")
            // zei01 works on 税, not on 国保.
            let zei = try await ask(["userId": "zei01"])
            expectError(zei, 403, "OPERATOR_NOT_AUTHORIZED")
            #expect(zei.json["message"] as? String == "zei01 works on tomakomai/zei, not on tomakomai/kokuho", "\(zei.text)")
            let department = try await ask(["userId": "user01", "departmentCode": "9999999999"])
            expectError(department, 403, "OPERATOR_NOT_AUTHORIZED")
            #expect(department.json["message"] as? String == "user01 belongs to 部署 3595115400, not to 9999999999")
            // The same person by 税's system is fine.
            let ok = try await ask(["userId": "zei01", "item": "27"], as: "tomakomai/zei")
            #expect(ok.status == 200, "\(ok.text)")
            let reception = try #require(ok.json["receptionNumber"] as? String)

            // Every party that saw the operator recorded them.
            for store in ["ms-municipal", "nws"] {
                let records = try await #require(edge.network.stores[store]).records(RecordQuery(receptionNumber: try ReceptionNumber(reception)))
                #expect(!records.isEmpty && records.allSatisfy { $0.operatorUser == "zei01" && $0.operatorDepartment == "3595115500" }, "\(store)")
                let audit = try await #require(edge.network.stores[store]).auditEvents()
                #expect(audit.contains { $0.detail.hasPrefix(reception) && $0.detail.hasSuffix("by zei01 (部署 3595115500)") }, "\(store) audit")
            }
            let records = try await edge.call("tomakomai/zei", "atena-tomakomai", .GET, "/v1/records?item=27")
            let mine = (records.json["records"] as? [[String: Any]])?.first { $0["receptionNumber"] as? String == reception }
            #expect(mine?["operatorUser"] as? String == "zei01", "\(records.text)")
        }
    }

    @Test("an account past its 失効日 (moved there with the simulation clock), or disabled, is refused with OPERATOR_NOT_IN_FORCE")
    func expiryAndDisabling() async throws {
        let today = SimulationClock().today()
        let until = today.adding(days: 10).description
        let later = SimulationClock(offset: .seconds(30 * 86_400))
        try await withEdge(clock: later) { edge in
            let mover = try #require(edge.movers().first)
            let added = try await edge.call(
                "tomakomai-admin", "admin", .PUT, "/admin/staff/tomakomai/kokuho02",
                json: Self.account("kokuho02", systems: ["tomakomai/kokuho"], validUntil: until))
            #expect(added.status == 201, "\(added.text)")
            let expired = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover, extra: ["userId": "kokuho02"]))
            expectError(expired, 403, "OPERATOR_NOT_IN_FORCE")
            #expect((expired.json["message"] as? String)?.hasPrefix("kokuho02's account expired after \(until) (失効)") == true, "\(expired.text)")
        }
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let before = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            #expect(before.status == 200, "\(before.text)")
            let disabled = try await edge.call("tomakomai-admin", "admin", .POST, "/admin/staff/tomakomai/user01/disable")
            #expect(disabled.status == 201)
            let after = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover))
            expectError(after, 403, "OPERATOR_NOT_IN_FORCE")
            #expect(after.json["message"] as? String == "user01's account is disabled")
        }
    }

    @Test("sign-in gives a session token that names the operator; sign-out ends it; five failures lock the account; reset unlocks")
    func signInSessionsAndLockout() async throws {
        try await withEdge(adjust: Self.cheapHashing) { edge in
            #expect(edge.topology.staff.passwordCost == 4)
            let mover = try #require(edge.movers().first)
            _ = try await edge.call(
                "tomakomai-admin", "admin", .PUT, "/admin/staff/tomakomai/kokuho02", json: Self.account("kokuho02", systems: ["tomakomai/kokuho"]))
            let set = try await edge.call(
                "tomakomai-admin", "admin", .POST, "/admin/staff/tomakomai/kokuho02/password", json: ["password": "correct-horse-battery"])
            #expect(set.status == 201 && (set.json["accounts"] as? [[String: Any]])?.first?["hasPassword"] as? Bool == true, "\(set.text)")
            #expect(!set.text.contains("$2b$"), "the hash never leaves the tenant")

            func signIn(_ password: String) async throws -> HTTPSClient.Response {
                try await edge.call(
                    "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/sessions", json: ["userId": "kokuho02", "password": password])
            }
            let session = try await signIn("correct-horse-battery")
            #expect(session.status == 201, "\(session.text)")
            let token = try #require(session.json["token"] as? String)

            // The token alone names the operator.
            var body = inquiry(mover)
            body["userId"] = nil
            let asked = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: body, bearer: token)
            #expect(asked.status == 200, "\(asked.text)")
            let reception = try ReceptionNumber(try #require(asked.json["receptionNumber"] as? String))
            let records = try await #require(edge.network.stores["nws"]).records(RecordQuery(receptionNumber: reception))
            #expect(records.first?.operatorUser == "kokuho02")
            // A token that is someone else's than the named user is refused.
            let mismatch = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: inquiry(mover), bearer: token)
            expectError(mismatch, 403, "OPERATOR_NOT_AUTHORIZED")

            let signedOut = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .DELETE, "/v1/sessions", bearer: token)
            #expect(signedOut.status == 204, "\(signedOut.text)")
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: body, bearer: token), 401, "TOKEN_INVALID")

            for attempt in 1...5 {
                let wrong = try await signIn("wrong-password-\(attempt)")
                expectError(wrong, 401, "SIGN_IN_FAILED")
            }
            let locked = try await signIn("correct-horse-battery")
            expectError(locked, 423, "ACCOUNT_LOCKED")
            #expect((locked.json["message"] as? String)?.hasPrefix("kokuho02 is locked after 5 failed sign-ins, until ") == true, "\(locked.text)")
            // An unknown user is answered as a wrong password is: nothing says who exists.
            let unknown = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/sessions", json: ["userId": "nobody", "password": "whatever-it-is"])
            expectError(unknown, 401, "SIGN_IN_FAILED")
            #expect(unknown.json["message"] as? String == "the ユーザID or the password is wrong")

            let audit = try await #require(edge.network.stores["ms-municipal"]).auditEvents()
            #expect(audit.filter { $0.kind == .signInFailed && $0.detail == "staff kokuho02 sign-in failed" }.count == 5)
            #expect(audit.contains { $0.kind == .signInFailed && $0.detail == "staff kokuho02 locked after 5 failures" })
            #expect(audit.contains { $0.kind == .signIn && $0.detail == "staff kokuho02 signed in" })
            #expect(audit.contains { $0.kind == .signOut && $0.detail == "staff kokuho02 signed out" })

            let reset = try await edge.call("tomakomai-admin", "admin", .POST, "/admin/staff/tomakomai/kokuho02/password", json: [:])
            let generated = try #require(reset.json["secret"] as? String, "a generated password is shown once: \(reset.text)")
            #expect(generated.count == 24)
            #expect(try await signIn(generated).status == 201, "reset unlocks the account")
        }
    }

    @Test("an API token issued for a program names its operator; staff accounts survive a scenario reset")
    func apiTokensAndReset() async throws {
        try await withEdge(adjust: Self.cheapHashing) { edge in
            let mover = try #require(edge.movers().first)
            _ = try await edge.call(
                "tomakomai-admin", "admin", .PUT, "/admin/staff/tomakomai/batch01", json: Self.account("batch01", systems: ["tomakomai/kokuho"]))
            let issued = try await edge.call("tomakomai-admin", "admin", .POST, "/admin/staff/tomakomai/batch01/tokens")
            let token = try #require(issued.json["secret"] as? String, "\(issued.text)")
            #expect(token.hasPrefix("rk_") && token.count == 67)
            var body = inquiry(mover)
            body["userId"] = nil
            let asked = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: body, bearer: token)
            #expect(asked.status == 200, "\(asked.text)")
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: body, bearer: "rk_forged"), 401,
                "TOKEN_INVALID")
            expectError(
                try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: body, bearer: "not-a-token"), 401,
                "TOKEN_INVALID")

            let reset = try await edge.call("admin", "admin", .POST, "/admin/reset", json: ["scenario": "seed"])
            #expect(reset.status == 200, "\(reset.text)")
            let list = try await edge.call("tomakomai-admin", "admin", .GET, "/admin/staff/tomakomai")
            let users = (list.json["accounts"] as? [[String: Any]])?.compactMap { $0["userId"] as? String } ?? []
            #expect(users == ["batch01", "trainer01", "user01", "zei01"], "\(list.text)")
            let again = try await edge.call("tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/inquiries", json: body, bearer: token)
            #expect(again.status == 200, "the token still works after the reset: \(again.text)")
        }
    }
}
