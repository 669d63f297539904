// Two phones and the real sync server on loopback: the server binary named
// by EQUALLY_SERVER_BIN on a temporary SQLite file and a free port, two
// cores on two databases, a project made on one and seen on the other.

import Equally
import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

final class SyncTests: XCTestCase {
    private var folder: URL!
    private var server: Process?
    private var port: UInt16 = 0
    private var databaseUrl = ""
    private var url: String { "http://127.0.0.1:\(port)" }

    private struct Invite {
        let personId: String
        let code: String
    }

    private struct SetupFailed: Error, CustomStringConvertible {
        let description: String
    }

    private var serverBin: URL {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["EQUALLY_SERVER_BIN"] else {
                throw SetupFailed(
                    description: "EQUALLY_SERVER_BIN names the equally-server binary (scripts/test-bindings.sh sets it)")
            }
            return URL(fileURLWithPath: path)
        }
    }

    // A TCP socket on loopback: bound to port 0 it yields a free port;
    // connected, it says whether the server listens yet.
    private static func loopback(port: UInt16, probe: Bool) -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
                if probe { return connect(fd, sa, len) == 0 }
                return bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        return ok ? UInt16(bigEndian: addr.sin_port) : nil
    }

    // `init` and `invite` print "person:  ID" and "code:    CODE" lines.
    private func command(_ args: [String]) throws -> Invite {
        let process = Process()
        process.executableURL = try serverBin
        process.arguments = ["--database-url", databaseUrl] + args
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "equally-server \(args)")
        func field(_ name: String) throws -> String {
            let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(name) }, "no \(name) in \(text)")
            return line.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        }
        return Invite(personId: try field("person:"), code: try field("code:"))
    }

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equally-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        databaseUrl = "sqlite:" + folder.appendingPathComponent("server.db").path
        port = try XCTUnwrap(Self.loopback(port: 0, probe: false))
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = try serverBin
        process.arguments = ["--database-url", databaseUrl, "serve", "--listen", "127.0.0.1:\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        server = process
        let deadline = Date().addingTimeInterval(30)
        while Self.loopback(port: port, probe: true) == nil {
            guard process.isRunning else {
                let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SetupFailed(description: "the server stopped: \(said)")
            }
            guard Date() < deadline else { throw SetupFailed(description: "the server did not start listening") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    override func tearDown() async throws {
        // The server shuts down gracefully on SIGTERM, which waits for the
        // phones' keep-alive connections; after two seconds, SIGKILL.
        if let server, server.isRunning {
            server.terminate()
            let deadline = Date().addingTimeInterval(2)
            while server.isRunning && Date() < deadline { usleep(20_000) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        server = nil
        try? FileManager.default.removeItem(at: folder)
    }

    private func text(_ words: String) -> TextVariants {
        TextVariants(original: Wording(lang: "en-GB", text: words))
    }

    func testAProjectStartedOnOnePhoneArrivesOnAnother() async throws {
        // `init` works on the server's database while it serves.
        let priyaInvite = try command(["init", "--org-name", "Riverside Mind", "--staff-name", "Priya"])
        let samInvite = try command([
            "invite", "--by", priyaInvite.personId, "--name", "Sam", "--kind", "supported_person",
        ])

        let phoneA = try await EquallyCore.open(databasePath: folder.appendingPathComponent("priya.db").path)
        let phoneB = try await EquallyCore.open(databasePath: folder.appendingPathComponent("sam.db").path)

        let priya = try await phoneA.connect(serverUrl: url, inviteCode: priyaInvite.code)
        XCTAssertEqual(priya.personId, priyaInvite.personId)
        XCTAssertFalse(priya.deviceToken.isEmpty)
        _ = try await phoneA.syncNow()

        let garden = try await phoneA.startProject(
            actor: priya.personId,
            project: NewProject(
                title: text("Community garden"),
                purpose: text("Grow food together"),
                joinPolicy: .open,
                coFounders: [samInvite.personId]
            )
        )
        let waiting = try await phoneA.syncStatus()
        XCTAssertGreaterThan(waiting.pending, 0)
        let pushed = try await phoneA.syncNow()
        XCTAssertGreaterThan(pushed.pushed, 0)
        XCTAssertEqual(pushed.rejected, 0)
        let afterPush = try await phoneA.syncStatus()
        XCTAssertEqual(afterPush.pending, 0)

        let sam = try await phoneB.connect(serverUrl: url, inviteCode: samInvite.code)
        XCTAssertEqual(sam.personId, samInvite.personId)
        do {
            _ = try await phoneB.project(reader: sam.personId, id: garden.id)
            XCTFail("the project is on Sam's phone before it synced")
        } catch is EquallyError {}
        // Sam's screens listen: they hear the project arrive and the sync's
        // status change, so a "syncing…" line can follow it.
        let heard = Recorder()
        let handle = try phoneB.subscribe(listener: heard)
        _ = try await phoneB.syncNow()
        for _ in 0..<300 where !heard.changes.contains(where: { $0.entity == "sync_status" }) {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        XCTAssertTrue(heard.changes.contains { $0.entity == "sync_status" }, "no sync_status notice")
        XCTAssertTrue(heard.changes.contains { $0.entity == "project" && $0.id == garden.id })
        handle.cancel()

        let seen = try await phoneB.project(reader: sam.personId, id: garden.id)
        XCTAssertEqual(seen.title.text, "Community garden")
        XCTAssertEqual(Set(seen.members.map(\.name)), ["Priya", "Sam"])
        let status = try await phoneB.syncStatus()
        XCTAssertTrue(status.connected)
        XCTAssertNotNil(status.lastSynced)
        XCTAssertTrue(status.rejected.isEmpty)

        // Sam reads Polish: his phone words what went wrong in Polish.
        let usual = phoneB.defaultPreferences()
        let polish = Preferences(
            languages: ["pl", "en-GB"], easyRead: false, readAloud: false, textSize: .standard,
            timeZone: usual.timeZone, reminders: usual.reminders, recognition: usual.recognition
        )
        _ = try await phoneB.updatePreferences(actor: sam.personId, person: sam.personId, preferences: polish)
        do {
            _ = try await phoneB.project(reader: sam.personId, id: "01900000-0000-7000-8000-000000000001")
            XCTFail("a project that does not exist was found")
        } catch let error as EquallyError {
            guard case .NotFound = error else { return XCTFail("wrong kind: \(error)") }
            XCTAssertTrue(error.localizedDescription.hasPrefix("Nie znaleźliśmy"), error.localizedDescription)
        }
    }
}
