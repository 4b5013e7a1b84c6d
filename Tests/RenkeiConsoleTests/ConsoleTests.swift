import Foundation
import NIOCore
import RenkeiConfig
import RenkeiCore
import RenkeiNodes
import RenkeiTestSupport
import Testing

/// The training console through its real path: HTTPS on an ephemeral port, curl as the
/// browser (cookies kept), the linkage underneath over mutual TLS.
// Serialized: each test starts a whole seeded network, and nine at once starve the other suites' deadlines.
@Suite("The training console", .serialized)
struct ConsoleTests {
    @Test("sign-in sets an HttpOnly, Secure, SameSite=Strict session cookie; a wrong password is SIGN_IN_FAILED")
    func signIn() async throws {
        try await withConsole { console in
            let browser = try console.browser()
            let wrong = try await browser.signIn("tomakomai", "user01", password: "not-the-password")
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("SIGN_IN_FAILED"))
            let page = try await browser.signIn("tomakomai", "user01")
            #expect(page.status == 303)
            let cookie = try #require(page.header("Set-Cookie"))
            #expect(cookie.hasPrefix("renkei_session="))
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict"] { #expect(cookie.contains(attribute), "\(attribute) in \(cookie)") }
            let home = try await browser.get("/")
            #expect(home.status == 200)
            #expect(home.body.contains("tomakomai/user01"))
            #expect(home.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        }
    }

    @Test("a form without the session's CSRF token is refused with CSRF_REJECTED and sends nothing")
    func csrf() async throws {
        try await withConsole { console in
            let browser = try console.browser()
            try await browser.signIn("tomakomai", "user01")
            let before = console.net.network.control.journal.entries().filter { $0.operation == "inquire" }.count
            let forged = try await browser.post(
                "/inquiry",
                [
                    "csrf": String(repeating: "0", count: 64), "system": "tomakomai/kokuho", "addressNumber": "0001000002", "item": "42",
                    "provider": "sapporo", "information": "TM00000000000002", "action": "send",
                ])
            #expect(forged.status == 403)
            #expect(forged.body.contains("CSRF_REJECTED"))
            #expect(console.net.network.control.journal.entries().filter { $0.operation == "inquire" }.count == before)
        }
    }

    @Test("an inquiry from the console is attributed to the member of staff, and a 税 user cannot open 国保's result")
    func inquiryAndResultAccess() async throws {
        try await withConsole { console in
            let kokuho = try console.browser()
            try await kokuho.signIn("tomakomai", "user01")
            let form = try await kokuho.get("/inquiry")
            let sent = try await kokuho.post(
                "/inquiry",
                [
                    "csrf": form.csrf, "system": "tomakomai/kokuho", "addressNumber": "0001000002", "item": "42", "provider": "sapporo",
                    "information": "TM00000000000002", "action": "send",
                ])
            #expect(sent.status == 303)
            let location = try #require(sent.header("Location"))
            #expect(location.hasPrefix("/results/R"))
            let result = try await kokuho.get(location)
            #expect(result.status == 200)
            #expect(result.body.contains("completed（provided）"))
            #expect(result.body.contains("合計所得金額"))
            let entry = try #require(console.net.network.control.journal.entries().first { $0.interface == .console && $0.operation == "inquire" })
            #expect(entry.identity == "tomakomai/user01")
            #expect(entry.steps.contains { $0.node == "nws" && $0.result == "pass" })

            let zei = try console.browser()
            try await zei.signIn("tomakomai", "zei01")
            let refused = try await zei.get(location)
            #expect(refused.status == 403)
            #expect(refused.body.contains("SYSTEM_NOT_AUTHORIZED"))
            #expect(!refused.body.contains("合計所得金額"))
        }
    }

    @Test("the pre-send check names the rule and the field; the exercise scores the refusal and the answer step by step")
    func exercise() async throws {
        try await withConsole { console in
            let browser = try console.browser()
            try await browser.signIn("tomakomai", "user01")
            let page = try await browser.get("/exercises/item42-nenkin")
            let start = try await browser.post("/exercises/item42-nenkin/start", ["csrf": page.csrf])
            #expect(start.status == 303)
            let fields = [
                "csrf": page.csrf, "system": "tomakomai/kokuho", "addressNumber": "0001000002", "item": "42", "provider": "nenkin",
                "information": "TM90000000000004",
            ]
            var check = fields
            check["action"] = "check"
            let checked = try await browser.post("/inquiry", check)
            #expect(checked.body.contains("RULE_NOT_PERMITTED"))
            #expect(checked.body.contains("情報照会先 (provider)"))
            var send = fields
            send["action"] = "send"
            let refused = try await browser.post("/inquiry", send)
            #expect(refused.status == 403)
            let halfway = try await browser.get("/exercises/item42-nenkin")
            #expect(halfway.body.contains("1 / 2"))
            let wrong = try await browser.post("/exercises/item42-nenkin/answer", ["csrf": page.csrf, "step": "why", "choice": "a"])
            #expect(wrong.status == 303)
            let feedback = try await browser.get("/exercises/item42-nenkin")
            #expect(feedback.body.contains("回答 (answer) が「a」でした"))
            _ = try await browser.post("/exercises/item42-nenkin/answer", ["csrf": page.csrf, "step": "why", "choice": "b"])
            let done = try await browser.get("/exercises/item42-nenkin")
            #expect(done.body.contains("2 / 2"))
            #expect(done.body.contains("完了しました"))
        }
    }

    @Test("a trainee's attempt is reset by the trainer without touching another trainee's")
    func trainerResetsOne() async throws {
        try await withConsole { console in
            let first = try console.browser()
            try await first.signIn("tomakomai", "user01")
            let second = try console.browser()
            try await second.signIn("tomakomai", "zei01")
            for browser in [first, second] {
                let page = try await browser.get("/exercises/item42-nenkin")
                _ = try await browser.post("/exercises/item42-nenkin/start", ["csrf": page.csrf])
            }
            let trainer = try console.browser()
            try await trainer.signIn("tomakomai", "trainer01")
            let before = try await trainer.get("/trainer")
            #expect(before.body.contains("tomakomai/user01"))
            #expect(before.body.contains("tomakomai/zei01"))
            let reset = try await trainer.post("/trainer/reset", ["csrf": before.csrf, "trainee": "tomakomai/zei01", "exercise": "item42-nenkin"])
            #expect(reset.status == 303)
            let after = try await trainer.get("/trainer/progress")
            #expect(after.body.contains("tomakomai/user01"))
            #expect(!after.body.contains("tomakomai/zei01"))
            let notTrainer = try await first.get("/trainer")
            #expect(notTrainer.status == 403)
            #expect(notTrainer.body.contains("OPERATOR_NOT_AUTHORIZED"))
        }
    }

    @Test("staff of the provider withhold a 自動応答不可 inquiry with a reason; the inquirer sees it withheld")
    func withhold() async throws {
        try await withConsole { console in
            _ = try await console.net.network.reset(
                to: try Scenario.load(named: "training", in: Repository.scenarios, topology: console.net.topology), by: "test")
            let asker = try console.browser()
            try await asker.signIn("tomakomai", "user01")
            let form = try await asker.get("/inquiry")
            let sent = try await asker.post(
                "/inquiry",
                [
                    "csrf": form.csrf, "system": "tomakomai/kokuho", "addressNumber": "0001000003", "item": "42", "provider": "sapporo",
                    "information": "TM00000000000002", "action": "send",
                ])
            let location = try #require(sent.header("Location"))
            let reception = String(location.dropFirst("/results/".count))
            #expect(try await asker.get(location).body.contains("awaiting_manual"))

            let topology = try await asker.get("/topology")
            #expect(topology.body.contains("<td>札幌市</td><td>ms-municipal</td><td>1</td>"), "the queue depth on the topology page")

            let staff = try console.browser()
            try await staff.signIn("sapporo", "user01")
            let queue = try await staff.get("/queue")
            #expect(queue.body.contains(reception))
            let noReason = try await staff.post("/queue/\(reception)", ["csrf": queue.csrf, "system": "sapporo/zei", "action": "withhold"])
            #expect(noReason.status == 400)
            #expect(noReason.body.contains("INVALID_REQUEST"))
            let withheld = try await staff.post(
                "/queue/\(reception)", ["csrf": queue.csrf, "system": "sapporo/zei", "action": "withhold", "reason": "DV等支援措置の対象者"])
            #expect(withheld.status == 200)
            #expect(!withheld.body.contains("<strong>\(reception)</strong>"))
            let seen = try await eventually(within: 20) { () async throws -> Bool? in
                try await asker.get(location).body.contains("withheld") ? true : nil
            }
            #expect(seen == true)
        }
    }
}

extension ConsoleTests {
    @Test("a 符号未取得 person: refused with LINK_CODE_NOT_ACQUIRED, 符号取得 from the console, then provided; the exercise scores 4 of 4")
    func linkCodeExercise() async throws {
        try await withConsole { console in
            let browser = try console.browser()
            try await browser.signIn("tomakomai", "user01")
            let page = try await browser.get("/exercises/link-code-missing")
            _ = try await browser.post("/exercises/link-code-missing/start", ["csrf": page.csrf])
            let fields = [
                "csrf": page.csrf, "system": "tomakomai/kokuho", "addressNumber": "0001000025", "item": "42", "provider": "sapporo",
                "information": "TM00000000000002", "action": "send",
            ]
            let refused = try await browser.post("/inquiry", fields)
            #expect(refused.status == 409)
            #expect(refused.body.contains("LINK_CODE_NOT_ACQUIRED"))
            #expect(refused.body.contains("action=\"/link-codes\""))
            _ = try await browser.post("/exercises/link-code-missing/answer", ["csrf": page.csrf, "step": "what-to-do", "choice": "a"])
            let acquired = try await browser.post("/link-codes", fields)
            #expect(acquired.status == 200)
            #expect(acquired.body.contains("符号を取得しました"))
            let provided = try await browser.post("/inquiry", fields)
            #expect(provided.status == 303)
            let score = try await browser.get("/exercises/link-code-missing")
            #expect(score.body.contains("4 / 4"))
        }
    }
}

extension ConsoleTests {
    @Test("a person is found by name (kanji or kana) at the member of staff's 機関, and the search is journaled under their name")
    func findByName() async throws {
        try await withConsole(passwords: [("tomakomai", "user01")]) { console in
            let browser = try console.browser()
            try await browser.signIn("tomakomai", "user01")
            let kanji = try await browser.get("/inquiry?name=%E9%AB%98%E6%A9%8B%20%E4%B9%85%E7%BE%8E%E5%AD%90")  // 高橋 久美子
            #expect(kanji.body.contains("0001000002"))
            let kana = try await browser.get("/inquiry?name=%E3%82%BF%E3%82%AB%E3%83%8F%E3%82%B7%E3%82%AF%E3%83%9F%E3%82%B3")  // タカハシクミコ
            #expect(kana.body.contains("0001000002"))
            let nobody = try await browser.get("/inquiry?name=zzzz")
            #expect(nobody.body.contains("に当たる方はいません"))
            #expect(console.net.network.control.journal.entries().contains { $0.operation == "findPerson" && $0.identity == "tomakomai/user01" })
        }
    }
}

extension ConsoleTests {
    @Test(
        "the 手動応答 queue of a business system is refused without a signed-in member of staff (OPERATOR_REQUIRED), and with a token that is none (TOKEN_INVALID)"
    )
    func queueNeedsStaff() async throws {
        try await withTestNetwork { net in
            let client = try LinkageClient.connect(
                as: "sapporo/zei", topology: net.topology, credentials: try net.pki.credentials(for: "sapporo/zei").on(net.network.clock),
                logger: TestNetwork.logger
            ) { net.network.endpoints.endpoint($0) }
            let anonymous = await #expect(throws: RenkeiError.self) { try await client.manualQueue(token: "", deadline: .now() + .seconds(30)) }
            #expect(anonymous?.code == .operatorRequired)
            let forged = await #expect(throws: RenkeiError.self) {
                try await client.resolveManually(
                    "RBAC7B265F98F3513563FECC9", provide: true, reason: "", token: "rk_forged", deadline: .now() + .seconds(30))
            }
            #expect(forged?.code == .tokenInvalid)
            await client.shutdown()
        }
    }
}

extension ConsoleTests {
    @Test(
        "副本: the viewer shows what 税 holds for a person; a registration with format errors shows each beside its item and sends nothing; corrected, it is registered and shown"
    )
    func duplicates() async throws {
        try await withConsole(passwords: [("sapporo", "user01"), ("tomakomai", "user01")]) { console in
            let (entry, _) = try console.net.person(of: "sapporo") { _, _ in true }
            let person = entry.addressNumber.short
            let target = "sapporo/zei%7CTM00000000000002"
            let staff = try console.browser()
            try await staff.signIn("sapporo", "user01")

            let viewer = try await staff.get("/duplicates?target=\(target)&addressNumber=\(person)")
            #expect(viewer.status == 200, "\(viewer.body.prefix(400))")
            #expect(viewer.body.contains("個人住民税課税情報") && viewer.body.contains("<td>K0004</td><td>合計所得金額</td>"), "\(viewer.body.prefix(2000))")
            #expect(!viewer.body.contains("レコードキー 2031"))

            let form = try await staff.get("/duplicates/new?target=\(target)&addressNumber=\(person)")
            #expect(form.body.contains(#"<label for="item-K0004">合計所得金額（K0004）</label>"#), "every item has its label")
            var fields = [
                "csrf": form.csrf, "target": "sapporo/zei|TM00000000000002", "dataSet": "0001", "addressNumber": person, "recordKey": "2031",
            ]
            fields["version"] = "1"
            fields["item.K0001"] = "令和13"
            fields["item.K0002"] = "2030"
            fields["item.K0003"] = "課税"
            fields["item.K0004"] = "240万"
            for code in ["K0005", "K0006", "K0007", "K0008"] { fields["item.\(code)"] = "0" }
            let refused = try await staff.post("/duplicates", fields)
            #expect(refused.status == 400)
            #expect(refused.body.contains("3 件の誤りがあります"), "\(refused.body.prefix(3000))")
            #expect(refused.body.contains(#"<p class="field-error" id="error-K0001">item K0001 (課税年度) must be a year as four half-width digits"#))
            #expect(refused.body.contains(#"<p class="field-error" id="error-K0004">item K0004 (合計所得金額) must be a whole number"#))
            #expect(refused.body.contains(#"<p class="field-error" id="error-K0009">扶養親族数 (K0009) has no value"#))
            #expect(refused.body.contains(#"name="item.K0004" value="240万""#), "what was typed is kept")
            #expect(!(try await staff.get("/duplicates?target=\(target)&addressNumber=\(person)").body.contains("レコードキー 2031")), "nothing was sent")

            fields["item.K0001"] = "2031"
            fields["item.K0004"] = "2400000"
            fields["null.K0009"] = "NotAcceptable"
            let registered = try await staff.post("/duplicates", fields)
            #expect(registered.status == 200, "\(registered.body.prefix(2000))")
            #expect(registered.body.contains("0001/2031 を登録しました"))
            #expect(
                registered.body.contains("レコードキー 2031") && registered.body.contains("<td>K0009</td><td>扶養親族数</td><td></td><td>NotAcceptable</td>"))
            let audit = try await #require(console.net.stores["ms-municipal"]).auditEvents()
            #expect(audit.contains { $0.kind == .duplicateChanged && $0.actor?.hasSuffix("by user01 (部署 3595115400)") == true })
            #expect(audit.contains { $0.kind == .duplicateRead && $0.actor?.hasPrefix("sapporo/zei by user01") == true })
            #expect(
                console.net.network.control.journal.entries().contains { $0.operation == "registerDuplicates" && $0.identity == "sapporo/user01" })

            // 苫小牧市's staff may not open 札幌市's 副本, by the page or by the URL.
            let other = try console.browser()
            try await other.signIn("tomakomai", "user01")
            let refusedOther = try await other.get("/duplicates?target=\(target)&addressNumber=\(person)")
            #expect(refusedOther.status == 403)
            #expect(refusedOther.body.contains("OPERATOR_NOT_AUTHORIZED"))
        }
    }
}

extension ConsoleTests {
    @Test(
        "the trainer injects a fault from the console (checked as the admin API checks it), a trainee's next inquiry meets it, and it can be removed; a trainee may not open the page"
    )
    func faults() async throws {
        try await withConsole(passwords: [("tomakomai", "trainer01"), ("tomakomai", "user01")]) { console in
            let trainer = try console.browser()
            try await trainer.signIn("tomakomai", "trainer01")
            let page = try await trainer.get("/trainer/faults")
            #expect(page.status == 200)
            #expect(page.body.contains(#"<label for="kind" title="Kind">種類</label>"#))

            let incomplete = try await trainer.post("/trainer/faults", ["csrf": page.csrf, "kind": "latency", "tenant": "sapporo"])
            #expect(incomplete.status == 400)
            #expect(incomplete.body.contains("INVALID_REQUEST: latencyMs must be 0 to 60000"), "\(incomplete.body.prefix(1500))")
            #expect(console.net.network.control.faults.faults.isEmpty, "nothing was injected")

            let injected = try await trainer.post(
                "/trainer/faults", ["csrf": page.csrf, "kind": "error", "node": "nws", "errorCode": "UNAVAILABLE", "count": "1"])
            #expect(injected.status == 200)
            let fault = try #require(console.net.network.control.faults.faults.first)
            #expect(fault.target.node == "nws" && fault.remaining == 1)
            #expect(injected.body.contains("障害 \(fault.id) を注入しました") && injected.body.contains("<td>\(fault.id)</td><td"))
            #expect(console.net.network.control.journal.entries().contains { $0.operation == "injectFault" && $0.identity == "tomakomai/trainer01" })

            let trainee = try console.browser()
            try await trainee.signIn("tomakomai", "user01")
            #expect(try await trainee.get("/trainer/faults").status == 403)
            let form = try await trainee.get("/inquiry")
            let met = try await trainee.post(
                "/inquiry",
                [
                    "csrf": form.csrf, "system": "tomakomai/kokuho", "addressNumber": "0001000002", "item": "42", "provider": "sapporo",
                    "information": "TM00000000000002", "action": "send",
                ])
            #expect(met.body.contains("UNAVAILABLE"), "\(met.status) \(met.body.prefix(1500))")
            #expect(console.net.network.control.faults.faults.isEmpty, "the fault answered once and is spent")

            let second = try await trainer.post("/trainer/faults", ["csrf": page.csrf, "kind": "offline", "tenant": "sapporo"])
            #expect(second.status == 200)
            let offline = try #require(console.net.network.control.faults.faults.first)
            let removed = try await trainer.post("/trainer/faults/\(offline.id)/remove", ["csrf": page.csrf])
            #expect(removed.body.contains("障害 \(offline.id) を解除しました"))
            #expect(console.net.network.control.faults.faults.isEmpty)
        }
    }
}
