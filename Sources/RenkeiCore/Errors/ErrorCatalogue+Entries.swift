extension ErrorCatalogue {
    /// The table itself. Keep it in the order of `docs/ERRORS.md` (transport, request, linkage
    /// rules, permits, operation); `renkei errors --markdown` writes that file from it.
    public static let renkei = ErrorCatalogue([
        // MARK: transport and nodes
        Entry(
            code: .deadlineExceeded, kind: .failure, httpStatus: 504,
            meaning: "No answer came in time; the sentence names the node that did not answer.",
            remedy: "Look at that node (an offline or latency fault, a stopped renkei up); retry with a longer --timeout."),
        Entry(
            code: .unavailable, kind: .failure, httpStatus: 503,
            meaning: "A node could not be reached or is offline (also an injected offline fault); the sentence names it.",
            remedy: "Start the network (renkei up), remove the fault (renkei admin faults), or pass the --data of the running network."),
        Entry(
            code: .frameTooLarge, kind: .failure, httpStatus: 413,
            meaning: "A wire message is over the frame limit (wire.max_frame_bytes).",
            remedy: "Send fewer records per message, or raise wire.max_frame_bytes in the topology."),
        Entry(
            code: .answerTooLarge, kind: .failure, httpStatus: 502,
            meaning: "The answer would not fit the wire's frame limit; this request fails, the connection stays open.",
            remedy: "Ask for fewer records (a narrower query), or raise wire.max_frame_bytes."),
        Entry(
            code: .overloaded, kind: .failure, httpStatus: 503,
            meaning: "Too many requests from the same connection or peer are in flight.",
            remedy: "Lower the concurrency, or wait for answers before sending more."),
        Entry(
            code: .malformedMessage, kind: .request, httpStatus: 400,
            meaning: "A message does not parse (XML, JSON, protobuf): the sentence gives the line or field.",
            remedy: "Fix the message; docs/INTERFACES.md has the layout and a complete example of each."),
        Entry(
            code: .unknownMethod, kind: .request, httpStatus: 404,
            meaning: "A wire method the node does not serve.",
            remedy: "Use a client of the same renkei version as the network."),
        Entry(
            code: .unauthenticated, kind: .failure, httpStatus: 401,
            meaning: "No client certificate, or one that names no renkei node, system or operator.",
            remedy: "Present a certificate issued by the network's CA (certs/ca.crt); renkei certs generate makes them."),
        Entry(
            code: .certificateProblem, kind: .failure, httpStatus: 401,
            meaning: "A TLS handshake failed or a certificate or key cannot be used; the sentence names the certificate and the CA.",
            remedy: "Use the certificates of the network you talk to (--certs), regenerate them with renkei certs generate, and restart renkei up."),
        Entry(
            code: .certificateExpired, kind: .failure, httpStatus: 401,
            meaning: "The peer's certificate has expired (also an injected fault).",
            remedy: "Regenerate the certificates (renkei certs generate) or remove the fault."),
        Entry(
            code: .certificateRevoked, kind: .failure, httpStatus: 401,
            meaning:
                "The peer's certificate is on the development CA's revocation list (certs/revoked.json): refused at the handshake, its open connections closed.",
            remedy: "renkei certs list shows what is revoked; issue the holder a new certificate (delete its .crt and run renkei certs generate)."),
        Entry(
            code: .peerNotAuthorized, kind: .refusal, httpStatus: 403,
            meaning: "The caller's role may not call this operation on this node.",
            remedy: "Call through the node your role uses (a business system through its 宛名 system or edge)."),
        Entry(
            code: .internalError, kind: .failure, httpStatus: 500,
            meaning: "renkei failed in a way it did not expect.",
            remedy: "Report it with the request journal entry (renkei admin journal) and the log."),
        Entry(
            code: .storeDamaged, kind: .failure, httpStatus: 500,
            meaning: "A node's stored file is damaged; the sentence names the file and the repair.",
            remedy: "Follow the repair in the sentence, or start again on a fresh --data."),
        Entry(
            code: .storeFull, kind: .failure, httpStatus: 503,
            meaning:
                "A node's disk is full. It released its reserve so that the records and audit entries of what it has seen are kept, and refuses new exchanges (each refusal recorded) until space is freed.",
            remedy:
                "Free space where the node's data directory is (the sentence names the file), then restart the node; nothing it acknowledged was lost."
        ),
        Entry(
            code: .keyMissing, kind: .failure, httpStatus: 500,
            meaning:
                "A purpose key that was made once (certs/keys/manifest.json lists it) is missing or unreadable; it is not replaced by a new key, because that would break every 符号 or checkpoint the old one made.",
            remedy: "Restore the file the sentence names from a backup of the certs directory."),
        Entry(
            code: .auditGap, kind: .failure, httpStatus: 500,
            meaning:
                "A node's audit log does not extend the checkpoint the time-stamping authority last witnessed for it: entries were cut from the end, rewritten, or the file replaced. The node refuses to start and to sign over it.",
            remedy:
                "Run renkei audit verify to see where the log departs; restore the store from a copy; or start with --accept-audit-gap, which records the gap in the log and goes on."
        ),
        Entry(
            code: .timeStampInvalid, kind: .refusal, httpStatus: 400,
            meaning:
                "A time-stamp request is not a well-formed RFC 3161 request for the checkpoint it comes with, or a token does not verify against the development CA.",
            remedy: "Send the checkpoint's own imprint (SHA-256 of its signed text); check a token with openssl ts -verify."),
        Entry(
            code: .invalidConfiguration, kind: .failure, httpStatus: 422,
            meaning:
                "A configuration file is missing, does not parse, has an unknown key, or contradicts itself; the sentence names the file, line and key.",
            remedy: "Fix the file at the place named; the known keys are listed in the sentence."),
        Entry(
            code: .usage, kind: .usage, httpStatus: 400,
            meaning: "The command line is wrong (an option missing, two that exclude each other, a value out of range).",
            remedy: "See renkei help COMMAND."),
        // MARK: request content
        Entry(
            code: .invalidIdentifier, kind: .request, httpStatus: 400,
            meaning: "An identifier has the wrong length, characters or check digit (個人番号, 宛名番号, 機関コード …).",
            remedy: "docs/INTERFACES.md, \"Identifiers\", gives each format."),
        Entry(
            code: .invalidRequest, kind: .request, httpStatus: 400,
            meaning: "A field is missing, unknown, out of range or contradicts another; the sentence names it.",
            remedy: "Fix the field named; unknown fields are listed with the known ones."),
        Entry(
            code: .unknownOrganization, kind: .request, httpStatus: 404,
            meaning: "No 機関, node or business system of that name or code is in the topology.",
            remedy: "Use an id from config/topology.yaml."),
        Entry(
            code: .unknownPerson, kind: .request, httpStatus: 404,
            meaning: "The 宛名 system or 中間サーバー knows no person by that 宛名番号, 個人番号 or 統合宛名番号.",
            remedy: "Pick a person with renkei population --city ORG."),
        Entry(
            code: .unknownInformationCode, kind: .request, httpStatus: 404,
            meaning: "The 特定個人情報名コード (TM…) or 事務手続コード (JT…) is not in the layout catalogue.",
            remedy: "Use a code from config/layout/catalogue.yaml."),
        Entry(
            code: .unknownProcessingNumber, kind: .request, httpStatus: 404,
            meaning: "No 処理通番 of that number is known.",
            remedy: "Use the number the inquiry's answer gave."),
        Entry(
            code: .unknownReceptionNumber, kind: .request, httpStatus: 404,
            meaning: "No inquiry with this 受付番号 is known to the caller's 機関.",
            remedy: "Use the 受付番号 the inquiry's answer gave, from the same system."),
        Entry(
            code: .duplicateRecord, kind: .request, httpStatus: 400,
            meaning: "A batch row repeats the key of an earlier row (レコード識別番号が既に存在).",
            remedy: "Give each row its own レコード識別番号."),
        Entry(
            code: .bodyTooLarge, kind: .request, httpStatus: 413,
            meaning: "An HTTP body is over the edge's limit.",
            remedy: "Split the request (a batch file holds at most 10,000 rows)."),
        Entry(
            code: .notFound, kind: .request, httpStatus: 404,
            meaning: "No route or resource of that name.",
            remedy: "See /openapi.yaml for the routes."),
        // MARK: linkage rules (別表第二) and permissions
        Entry(
            code: .ruleNotPermitted, kind: .refusal, httpStatus: 403,
            meaning: "別表第二 does not permit this inquirer to ask this provider for this information under this item; the near miss names what would.",
            remedy: "renkei rules explain shows the row; use the item that covers the 事務."),
        Entry(
            code: .itemDeleted, kind: .refusal, httpStatus: 403,
            meaning: "The 別表第二 item is deleted (削除).",
            remedy: "Use the item that replaced it."),
        Entry(
            code: .unknownItem, kind: .request, httpStatus: 404,
            meaning: "The cited table has no such item (別表第二: 1 to 120 with 56-2; the 2024 ordinance: 1 to 173).",
            remedy: "renkei rules show --item N (or --item 2024:N) shows an item."),
        Entry(
            code: .itemNotInForce, kind: .refusal, httpStatus: 403,
            meaning:
                "The item is not law on the simulation date: a 2024 ordinance item before 2024-05-27, or a 別表第二 item the ordinance has no counterpart for after it.",
            remedy: "Cite the item of the table in force (renkei rules show --item N names both numberings), or move the simulation date."),
        // MARK: staff (operators) and sign-in
        Entry(
            code: .operatorRequired, kind: .refusal, httpStatus: 403,
            meaning: "The inquiry or registration names no operator: no ユーザID (userId, RequestSourceUserID) and no staff token.",
            remedy: "Send the ユーザID of a member of staff (renkei staff list), or Authorization: Bearer with their session or API token."),
        Entry(
            code: .unknownOperator, kind: .refusal, httpStatus: 403,
            meaning: "The 機関 has no member of staff with that ユーザID.",
            remedy: "renkei staff list --org ID shows the accounts; renkei staff add creates one."),
        Entry(
            code: .operatorNotInForce, kind: .refusal, httpStatus: 403,
            meaning: "The operator's account is disabled, or the simulation date is before its 発効日 or after its 失効日.",
            remedy: "renkei staff add with new --valid-from/--valid-until dates re-enables it; check --clock-offset."),
        Entry(
            code: .operatorNotAuthorized, kind: .refusal, httpStatus: 403,
            meaning: "The operator may not work on this business system's 事務, or the 部署コード sent is not theirs, or the token names someone else.",
            remedy: "renkei staff add --systems lists the 事務 (business systems) a member of staff works on."),
        Entry(
            code: .signInFailed, kind: .refusal, httpStatus: 401,
            meaning: "Wrong ユーザID or password (which one is not said). Repeated failures lock the account.",
            remedy: "Check the password; renkei staff reset-password sets a new one."),
        Entry(
            code: .accountLocked, kind: .refusal, httpStatus: 423,
            meaning: "Too many failed sign-ins in a row: the account is locked until the time the message names.",
            remedy: "Wait, or have an administrator run renkei staff reset-password, which unlocks it."),
        Entry(
            code: .tokenInvalid, kind: .refusal, httpStatus: 401,
            meaning: "The Bearer token is not a live session or API token of this 機関 (expired, signed out, or never issued).",
            remedy: "Sign in again (POST /v1/sessions) or issue an API token (renkei staff token)."),
        Entry(
            code: .csrfRejected, kind: .refusal, httpStatus: 403,
            meaning:
                "A console form came without the CSRF token of the signed-in session (sent from another site, or from a page of an earlier session).",
            remedy: "Open the page again from the console and resend the form."),
        Entry(
            code: .sessionExpired, kind: .refusal, httpStatus: 401,
            meaning: "The console has no live session for this browser: never signed in, signed out, or idle longer than console.idle_minutes.",
            remedy: "Sign in again at /login."),
        Entry(
            code: .procedureMismatch, kind: .refusal, httpStatus: 400,
            meaning: "The 事務手続コード does not belong to the item's 事務.",
            remedy: "Use a procedure of the item, or omit it."),
        Entry(
            code: .systemNotAuthorized, kind: .refusal, httpStatus: 403,
            meaning: "The business system may not use this item (its 事務 in the topology does not list it).",
            remedy: "Ask from the system whose 事務 the item serves, or add the item to business_systems in the topology."),
        Entry(
            code: .linkCodeNotAcquired, kind: .refusal, httpStatus: 409,
            meaning: "符号未取得: the inquirer holds no 符号 for the person.",
            remedy: "Acquire it first (POST /v1/link-codes)."),
        // MARK: 情報提供許可証 (permits)
        Entry(
            code: .permitExpired, kind: .refusal, httpStatus: 502,
            meaning: "The 情報提供許可証 expired before the provider saw it.",
            remedy: "Retry the inquiry; raise permit_ttl_seconds if latency faults are on."),
        Entry(
            code: .permitReused, kind: .refusal, httpStatus: 502,
            meaning: "The 情報提供許可証 was already used once.",
            remedy: "Make a new inquiry; a permit is single-use."),
        Entry(
            code: .permitInvalid, kind: .refusal, httpStatus: 502,
            meaning: "The 情報提供許可証's signature or MAC does not verify.",
            remedy: "The network's keys differ between nodes: restart renkei up on one --certs."),
        Entry(
            code: .permitMismatch, kind: .refusal, httpStatus: 502,
            meaning: "The 情報提供許可証 was issued for another inquiry, provider or 特定個人情報.",
            remedy: "Make a new inquiry."),
        // MARK: operation
        Entry(
            code: .manualResponseTimeout, kind: .failure, httpStatus: 504,
            meaning: "An inquiry waiting for staff (自動応答不可) was not answered within manual_response.timeout_seconds.",
            remedy: "Provide or withhold it sooner (renkei admin queue), or raise the timeout."),
        Entry(
            code: .injectedFault, kind: .failure, httpStatus: 502,
            meaning: "A fault the tester injected; the sentence says which.",
            remedy: "renkei admin faults lists and removes faults."),
    ])
}
