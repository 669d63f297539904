// The Swift suite: the generated bindings against the real library, used the
// way the iPhone app will use them — a database in a temporary folder, the
// organisation, people, a project, offers, contributions, the home screen,
// change notices, typed errors and concurrent async calls.

import Equally
import Foundation
import XCTest

final class EquallyTests: XCTestCase {
    private var folder: URL!
    private var core: EquallyCore!

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equally-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        core = try await EquallyCore.open(databasePath: folder.appendingPathComponent("equally.db").path)
    }

    override func tearDown() async throws {
        core = nil
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: the people of a small project

    private struct People {
        let priya: Person  // staff
        let alex: Person  // staff
        let sam: Person  // a person the charity supports
        let jo: Person  // a volunteer
    }

    private func people() async throws -> People {
        _ = try await core.createOrganisation(name: "Riverside Mind")
        let prefs = core.defaultPreferences()
        func add(_ name: String, _ kind: PersonKind) async throws -> Person {
            try await core.addPerson(addedBy: nil, person: NewPerson(name: name, kind: kind, preferences: prefs))
        }
        return People(
            priya: try await add("Priya", .staff),
            alex: try await add("Alex", .staff),
            sam: try await add("Sam", .supportedPerson),
            jo: try await add("Jo", .volunteer)
        )
    }

    private func text(_ words: String, easyRead: String? = nil) -> TextVariants {
        TextVariants(original: Wording(lang: "en-GB", text: words, easyRead: easyRead))
    }

    private func garden(by starter: Person, with coFounders: [Person]) async throws -> ProjectView {
        try await core.startProject(
            actor: starter.id,
            project: NewProject(
                title: text("Community garden", easyRead: "We grow food together"),
                purpose: text("Grow food and friendships"),
                joinPolicy: .open,
                coFounders: coFounders.map(\.id)
            )
        )
    }

    private func skill(_ words: String, tags: [String] = ["gardening"]) -> NewOffer {
        NewOffer(kind: .skill, description: text(words), howMuch: "two hours a week", tags: tags)
    }

    // MARK: projects

    func testAProjectCoFoundedWithAPersonSupportedIsNotFlaggedAsStaffOnly() async throws {
        let p = try await people()
        let project = try await garden(by: p.priya, with: [p.sam])
        XCTAssertEqual(project.stage, .idea)
        XCTAssertFalse(project.setUpByStaffOnly)
        XCTAssertEqual(Set(project.members.map(\.name)), ["Priya", "Sam"])
        XCTAssertTrue(project.members.allSatisfy { $0.role == .coFounder })
    }

    func testAProjectStartedByStaffAloneSaysSo() async throws {
        let p = try await people()
        let project = try await garden(by: p.priya, with: [p.alex])
        XCTAssertTrue(project.setUpByStaffOnly)
        XCTAssertTrue(project.staffOnlyNotice?.contains("employees only") ?? false)
    }

    func testADoneProjectCanBeReopened() async throws {
        let p = try await people()
        let project = try await garden(by: p.sam, with: [])
        _ = try await core.setStage(actor: p.sam.id, id: project.id, stage: .done)
        let reopened = try await core.setStage(actor: p.sam.id, id: project.id, stage: .doing)
        XCTAssertEqual(reopened.stage, .doing)
        XCTAssertEqual(reopened.timesReopened, 1)
    }

    func testEasyReadIsShownToAReaderWhoAskedForIt() async throws {
        let p = try await people()
        let usual = core.defaultPreferences()
        let prefs = Preferences(
            languages: usual.languages, easyRead: true, readAloud: true, textSize: .large,
            timeZone: usual.timeZone, reminders: usual.reminders, recognition: .certificate
        )
        _ = try await core.updatePreferences(actor: p.sam.id, person: p.sam.id, preferences: prefs)
        let project = try await garden(by: p.sam, with: [])
        XCTAssertEqual(project.title.text, "We grow food together")
        XCTAssertTrue(project.title.isEasyRead)
        let plain = try await core.project(reader: p.priya.id, id: project.id)
        XCTAssertEqual(plain.title.text, "Community garden")
    }

    func testTimesSomeoneCantDoAreSeenByThemButNotByOthers() async throws {
        let p = try await people()
        let usual = core.defaultPreferences()
        let prefs = Preferences(
            languages: ["pl", "en-GB"], easyRead: false, readAloud: false, textSize: .standard,
            timeZone: "Europe/London",
            reminders: ReminderPreferences(offsetsMinutes: [60], quietHours: QuietHours(start: "22:00", end: "07:00")),
            accessNeeds: [.stepFree, .captions],
            unavailable: [Unavailability(weekday: .tuesday, start: "10:00", end: "12:00")],
            recognition: usual.recognition
        )
        let sam = try await core.updatePreferences(actor: p.sam.id, person: p.sam.id, preferences: prefs)
        let own = try await core.person(reader: p.sam.id, id: p.sam.id)
        XCTAssertEqual(own.preferences, prefs)
        let other = try await core.person(reader: p.jo.id, id: p.sam.id)
        XCTAssertNil(other.preferences)
        // What an organiser needs travels on the person everyone sees.
        XCTAssertEqual(sam.accessNeeds, [.stepFree, .captions])
        do {
            _ = try await core.preferences(reader: p.jo.id, person: p.sam.id)
            XCTFail("Jo read Sam's preferences")
        } catch let error as EquallyError {
            guard case .NotAllowed = error else { return XCTFail("wrong kind: \(error)") }
        }
    }

    func testAQuietHourThatIsNotATimeIsRefused() async throws {
        let p = try await people()
        let usual = core.defaultPreferences()
        let prefs = Preferences(
            languages: usual.languages, easyRead: false, readAloud: false, textSize: .standard,
            timeZone: usual.timeZone,
            reminders: ReminderPreferences(offsetsMinutes: [60], quietHours: QuietHours(start: "25:00", end: "07:00")),
            recognition: usual.recognition
        )
        do {
            _ = try await core.updatePreferences(actor: p.sam.id, person: p.sam.id, preferences: prefs)
            XCTFail("25:00 was accepted")
        } catch let error as EquallyError {
            guard case .Invalid = error else { return XCTFail("wrong kind: \(error)") }
            XCTAssertTrue(error.localizedDescription.contains("quiet_hours.start"), error.localizedDescription)
        }
    }

    // MARK: offers

    func testAnOfferCanBeWithdrawnAndStaysInHistory() async throws {
        let p = try await people()
        let offer = try await core.makeOffer(actor: p.sam.id, offer: skill("I can grow tomatoes"))
        XCTAssertNil(offer.withdrawnAt)
        try await core.withdrawOffer(actor: p.sam.id, offer: offer.id)
        let offers = try await core.offersOf(reader: p.sam.id, person: p.sam.id)
        XCTAssertEqual(offers.count, 1)
        XCTAssertTrue(offers[0].withdrawn)
        XCTAssertEqual(offers[0].description.text, "I can grow tomatoes")
    }

    func testNobodyCanWithdrawSomeoneElsesOffer() async throws {
        let p = try await people()
        let offer = try await core.makeOffer(actor: p.sam.id, offer: skill("I can grow tomatoes"))
        do {
            try await core.withdrawOffer(actor: p.priya.id, offer: offer.id)
            XCTFail("Priya withdrew Sam's offer")
        } catch let error as EquallyError {
            guard case .NotAllowed = error else { return XCTFail("wrong kind: \(error)") }
            XCTAssertTrue(error.localizedDescription.contains("only the person who made an offer"))
        }
    }

    func testAGardenerIsSuggestedForAGardenThatNeedsOne() async throws {
        let p = try await people()
        let project = try await garden(by: p.priya, with: [p.sam])
        _ = try await core.addNeed(
            actor: p.priya.id, project: project.id, kind: .skill,
            description: text("Someone to plan the vegetable beds"), tags: ["gardening"]
        )
        let sams = try await core.makeOffer(actor: p.sam.id, offer: skill("I know vegetable growing"))
        _ = try await core.makeOffer(actor: p.jo.id, offer: skill("Jo is not in the project"))
        let matches = try await core.matchOffers(reader: p.priya.id, project: project.id)
        XCTAssertEqual(matches.map(\.offer.id), [sams.id])
        XCTAssertEqual(matches[0].offer.personName, "Sam")
        XCTAssertTrue(matches[0].shared.contains("gardening"))
    }

    // MARK: contributions and the home screen

    func testALoggedContributionAndItsThanksShowOnTheHomeScreen() async throws {
        let p = try await people()
        let project = try await garden(by: p.priya, with: [p.sam])
        let logged = try await core.logContribution(
            actor: p.sam.id,
            contribution: NewContribution(
                personId: p.sam.id, projectId: project.id, what: "Dug the first bed",
                minutes: 150, doneOn: "2026-05-02"
            )
        )
        XCTAssertEqual(logged.recognition, .thanks)
        try await core.thank(actor: p.priya.id, contribution: logged.id, note: "Brilliant work")

        let home = try await core.home(person: p.sam.id)
        XCTAssertEqual(home.name, "Sam")
        XCTAssertEqual(home.minutesGiven, 150)
        XCTAssertEqual(home.timeGivenLabel, "2 hours given")
        XCTAssertEqual(home.projects.map(\.id), [project.id])
        XCTAssertEqual(home.projects[0].stageLabel, "Idea")

        let given = try await core.timeGiven(reader: p.sam.id, person: p.sam.id)
        XCTAssertEqual(given.thanksReceived, 1)
        XCTAssertEqual(given.byProject.map(\.minutes), [150])
    }

    func testAnActionTakenOnShowsAsMineAtHome() async throws {
        let p = try await people()
        let project = try await garden(by: p.priya, with: [p.sam])
        _ = try await core.addAction(
            actor: p.sam.id, project: project.id, what: text("Buy seeds"), dueOn: "2026-06-01", takeIt: true
        )
        let home = try await core.home(person: p.sam.id)
        XCTAssertEqual(home.myActions.map(\.what.text), ["Buy seeds"])
        XCTAssertEqual(home.myActions[0].dueOn, "2026-06-01")
    }

    func testChangesWaitInTheOutboxUntilSynced() async throws {
        let before = try await core.pendingCount()
        _ = try await people()
        let after = try await core.pendingCount()
        XCTAssertGreaterThan(after, before)
    }

    // MARK: change notices

    func testAListenerHearsAboutAnOfferAndNothingAfterCancel() async throws {
        let p = try await people()
        let heard = Recorder()
        let handle = try core.subscribe(listener: heard)
        let offer = try await core.makeOffer(actor: p.sam.id, offer: skill("I can fix bikes"))
        try await eventually { heard.changes.contains { $0.entity == "offer" && $0.id == offer.id } }

        handle.cancel()
        heard.clear()
        _ = try await core.makeOffer(actor: p.sam.id, offer: skill("And mend fences"))
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertTrue(heard.changes.isEmpty, "heard after cancel: \(heard.changes)")
    }

    func testABackgroundTaskOnTheSameFileIsHeardByTheOpenScreen() async throws {
        let p = try await people()
        let screen = Recorder()
        let handle = try core.subscribe(listener: screen)
        // A background task opens its own handle on the same file.
        let worker = try await EquallyCore.open(databasePath: folder.appendingPathComponent("equally.db").path)
        let offer = try await worker.makeOffer(actor: p.sam.id, offer: skill("I can fix bikes"))
        try await eventually { screen.changes.contains { $0.entity == "offer" && $0.id == offer.id } }
        handle.cancel()
    }

    // MARK: the core's log in the app's logger

    func testADatabaseThatCannotBeOpenedShowsUpInTheAppsLog() async throws {
        let log = OSLogLines()
        setAppLogger(logger: log, maxLevel: .info)
        defer { setAppLogger(logger: nil, maxLevel: .info) }
        let broken = folder.appendingPathComponent("broken.db")
        try Data(repeating: 7, count: 8192).write(to: broken)
        do {
            _ = try await EquallyCore.open(databasePath: broken.path)
            XCTFail("a file that is not a database was opened")
        } catch let error as EquallyError {
            guard case .Storage = error else { return XCTFail("wrong kind: \(error)") }
        }
        let line = try XCTUnwrap(log.lines.first { $0.target == "equally_core::error" }, "\(log.lines)")
        XCTAssertEqual(line.level, .error)
        XCTAssertTrue(line.message.hasPrefix("sqlite error"), line.message)
    }

    func testChangesArriveAsAnAsyncSequence() async throws {
        let p = try await people()
        let stream = try core.changes()
        let offer = try await core.makeOffer(actor: p.jo.id, offer: skill("I can drive the van"))
        let heard = try await withinSeconds(3) {
            for await changes in stream where changes.contains(where: { $0.id == offer.id }) {
                return true
            }
            return false
        }
        XCTAssertTrue(heard)
    }

    /// Runs `work`, failing instead of hanging the suite if it takes longer.
    private func withinSeconds<T: Sendable>(
        _ seconds: UInt64, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(nanoseconds: seconds * 1_000_000_000)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw TimedOut(seconds: seconds)
            }
            return value
        }
    }

    // MARK: errors

    func testAnEmptyTitleIsATypedErrorWithAReadableMessage() async throws {
        let p = try await people()
        do {
            _ = try await core.startProject(
                actor: p.sam.id,
                project: NewProject(title: text("   "), purpose: text("Anything"), joinPolicy: .open)
            )
            XCTFail("an empty title was accepted")
        } catch let error as EquallyError {
            guard case .Invalid = error else { return XCTFail("wrong kind: \(error)") }
            XCTAssertEqual(error.localizedDescription, "title is empty")
        }
    }

    func testAMangledIdIsRefusedAsInvalidNotACrash() async throws {
        do {
            _ = try await core.home(person: "not-an-id")
            XCTFail("a mangled id was accepted")
        } catch let error as EquallyError {
            guard case .Invalid = error else { return XCTFail("wrong kind: \(error)") }
            XCTAssertEqual(error.localizedDescription, "person_id is not a valid id")
        }
    }

    func testSomeoneOutsideAProjectIsNotAllowedToChangeIt() async throws {
        let p = try await people()
        let project = try await garden(by: p.priya, with: [p.sam])
        do {
            _ = try await core.setStage(actor: p.jo.id, id: project.id, stage: .doing)
            XCTFail("an outsider changed the project")
        } catch EquallyError.NotAllowed(let sentence) {
            XCTAssertFalse(sentence.isEmpty)
        }
    }

    // MARK: concurrency

    func testManyCallsAtOnceAllComplete() async throws {
        let p = try await people()
        let core = self.core!
        let sam = p.sam.id
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<24 {
                group.addTask {
                    _ = try await core.makeOffer(
                        actor: sam,
                        offer: NewOffer(kind: .time, description: TextVariants(
                            original: Wording(lang: "en-GB", text: "Saturday morning \(n)")
                        ))
                    )
                    _ = try await core.home(person: sam)
                }
            }
            try await group.waitForAll()
        }
        let offers = try await core.offersOf(reader: sam, person: sam)
        XCTAssertEqual(offers.count, 24)
    }

    private func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<300 {
            if condition() { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        XCTFail("not heard within 3 seconds")
    }
}

struct TimedOut: Error {
    let seconds: UInt64
}

/// A listener that remembers what it heard; called on a background thread.
final class Recorder: ChangeListener, @unchecked Sendable {
    private let lock = NSLock()
    private var heard: [Change] = []

    func onChange(changes: [Change]) {
        lock.lock()
        heard.append(contentsOf: changes)
        lock.unlock()
    }

    var changes: [Change] {
        lock.lock()
        defer { lock.unlock() }
        return heard
    }

    func clear() {
        lock.lock()
        heard.removeAll()
        lock.unlock()
    }
}

/// The app's logger as os_log would get it: remembers each line; called on
/// whichever thread the core logged from.
final class OSLogLines: AppLogger, @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [LogRecord] = []

    func log(record: LogRecord) {
        lock.lock()
        kept.append(record)
        lock.unlock()
    }

    var lines: [LogRecord] {
        lock.lock()
        defer { lock.unlock() }
        return kept
    }
}
