// What every test here stands on: phones and the charity's server, made the
// way they are in life. A phone is one `EquallyCore` on its own database,
// and it belongs to one person: whoever started Equally on it offline, or
// joined the charity's server with an invite. Several people on one phone
// only ever means a member of staff who started it offline, added the
// others, and acts for them through the explicit on-behalf calls; anything
// else with several people is several phones syncing through the real
// server (`EQUALLY_SERVER_BIN`, on loopback, with its own SQLite file).

import Equally
import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A temporary folder per test for the phones' databases (and the server's),
/// and the server itself when a test asks for one.
class PhoneTestCase: XCTestCase {
    var folder: URL!
    private var charity: Charity?

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equally-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        charity?.stop()
        charity = nil
        try? FileManager.default.removeItem(at: folder)
    }

    /// A phone fresh out of the box: Equally opened on its own database,
    /// nobody's yet.
    func newPhone(_ name: String) async throws -> EquallyCore {
        try await EquallyCore.open(databasePath: folder.appendingPathComponent("\(name).db").path)
    }

    /// A phone someone started offline: their own new group, them its first
    /// person, the phone theirs.
    func phoneStartedOffline(
        by name: String, _ kind: PersonKind, group: String = "Riverside Mind"
    ) async throws -> (EquallyCore, Person) {
        let phone = try await newPhone(name)
        let me = try await phone.startOffline(
            organisationName: group, me: NewPerson(name: name, kind: kind, preferences: phone.defaultPreferences()))
        return (phone, me)
    }

    /// The charity's server, started the first time a test asks for it and
    /// stopped when the test ends.
    func server() async throws -> Charity {
        if let charity { return charity }
        let started = try await Charity.start(in: folder)
        charity = started
        return started
    }

    /// A phone that joined the server with `invite` and has had its first
    /// sync, so its person's data is on it.
    func phoneJoined(_ invite: Invite, as name: String) async throws -> EquallyCore {
        let charity = try await server()
        let phone = try await newPhone(name)
        let connected = try await phone.connect(serverUrl: charity.url, inviteCode: invite.code)
        XCTAssertEqual(connected.personId, invite.personId)
        _ = try await phone.syncNow()
        return phone
    }

    func text(_ words: String, easyRead: String? = nil) -> TextVariants {
        TextVariants(original: Wording(lang: "en-GB", text: words, easyRead: easyRead))
    }

    /// Someone new, with the preferences a sign-up screen starts from.
    func newPerson(_ name: String, _ kind: PersonKind, on phone: EquallyCore) -> NewPerson {
        NewPerson(name: name, kind: kind, preferences: phone.defaultPreferences())
    }

    /// `work`'s error, failing the test when it does not throw one.
    func refusal<T>(
        _ what: String, file: StaticString = #filePath, line: UInt = #line, _ work: () async throws -> T
    ) async -> EquallyError? {
        do {
            _ = try await work()
            XCTFail("\(what) was allowed", file: file, line: line)
            return nil
        } catch let error as EquallyError {
            return error
        } catch {
            XCTFail("\(what): not an EquallyError: \(error)", file: file, line: line)
            return nil
        }
    }
}

/// An invite code and the person it signs in as.
struct Invite {
    let personId: String
    let code: String
}

struct SetupFailed: Error, CustomStringConvertible {
    let description: String
}

/// The charity's sync server: the real `equally-server` binary serving a
/// temporary SQLite file on a free loopback port. Its `init` and `invite`
/// commands are what the digital team runs.
final class Charity {
    let url: String
    private let process: Process
    private let databaseUrl: String

    private init(url: String, process: Process, databaseUrl: String) {
        self.url = url
        self.process = process
        self.databaseUrl = databaseUrl
    }

    private static var binary: URL {
        get throws {
            guard let path = ProcessInfo.processInfo.environment["EQUALLY_SERVER_BIN"] else {
                throw SetupFailed(
                    description: "EQUALLY_SERVER_BIN names the equally-server binary (scripts/test-bindings.sh sets it)")
            }
            return URL(fileURLWithPath: path)
        }
    }

    static func start(in folder: URL) async throws -> Charity {
        let databaseUrl = "sqlite:" + folder.appendingPathComponent("server.db").path
        let port = try XCTUnwrap(loopback(port: 0, probe: false))
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = try binary
        process.arguments = ["--database-url", databaseUrl, "serve", "--listen", "127.0.0.1:\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let charity = Charity(url: "http://127.0.0.1:\(port)", process: process, databaseUrl: databaseUrl)
        let deadline = Date().addingTimeInterval(30)
        while loopback(port: port, probe: true) == nil {
            guard process.isRunning else {
                let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw SetupFailed(description: "the server stopped: \(said)")
            }
            guard Date() < deadline else {
                charity.stop()
                throw SetupFailed(description: "the server did not start listening")
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return charity
    }

    /// The server shuts down gracefully on SIGTERM, which waits for the
    /// phones' keep-alive connections; after two seconds, SIGKILL.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The organisation and its first member of staff (`init`, run on the
    /// server's database while it serves).
    func initialise(organisation: String, staff: String) throws -> Invite {
        try command(["init", "--org-name", organisation, "--staff-name", staff])
    }

    /// An invite for someone new, made by a member of staff (`invite`).
    /// `kind` is the server's word: supported_person, staff, carer,
    /// volunteer or partner.
    func invite(by staff: String, name: String, kind: String) throws -> Invite {
        try command(["invite", "--by", staff, "--name", name, "--kind", kind])
    }

    // `init` and `invite` print "person:  ID" and "code:    CODE" lines.
    private func command(_ args: [String]) throws -> Invite {
        let run = Process()
        run.executableURL = try Self.binary
        run.arguments = ["--database-url", databaseUrl] + args
        let out = Pipe()
        run.standardOutput = out
        try run.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        guard run.terminationStatus == 0 else {
            throw SetupFailed(description: "equally-server \(args) exited \(run.terminationStatus)")
        }
        func field(_ name: String) throws -> String {
            let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(name) }, "no \(name) in \(text)")
            return line.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        }
        return Invite(personId: try field("person:"), code: try field("code:"))
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
}

/// The usual small team on the charity's server, each on their own phone:
/// Priya (staff), Sam (a person the charity supports) and Jo (a volunteer).
struct Team {
    let priyaInvite: Invite
    let samInvite: Invite
    let joInvite: Invite
    let priya: EquallyCore
    let sam: EquallyCore
    let jo: EquallyCore
    var priyaId: String { priyaInvite.personId }
    var samId: String { samInvite.personId }
    var joId: String { joInvite.personId }
}

extension PhoneTestCase {
    func team() async throws -> Team {
        let charity = try await server()
        let priya = try charity.initialise(organisation: "Riverside Mind", staff: "Priya")
        let sam = try charity.invite(by: priya.personId, name: "Sam", kind: "supported_person")
        let jo = try charity.invite(by: priya.personId, name: "Jo", kind: "volunteer")
        return Team(
            priyaInvite: priya, samInvite: sam, joInvite: jo,
            priya: try await phoneJoined(priya, as: "priya"),
            sam: try await phoneJoined(sam, as: "sam"),
            jo: try await phoneJoined(jo, as: "jo")
        )
    }
}

/// Sends each phone's changes and brings in everyone else's, in order, and
/// fails if the server refused anything.
func syncInTurn(_ phones: EquallyCore..., file: StaticString = #filePath, line: UInt = #line) async throws {
    for phone in phones {
        let report = try await phone.syncNow()
        XCTAssertEqual(report.rejected, 0, "the server refused a change", file: file, line: line)
    }
}
