// The Swift suite: the generated bindings against the real library, used the
// way the iPhone app will use them. A phone belongs to one person and every
// call acts as them: a member of staff who started Equally offline adds the
// others to her group and acts for them only through the on-behalf calls;
// anything more goes through the charity's server, one phone each. Projects,
// preferences, offers, contributions, the home screen, change notices, typed
// errors and concurrent async calls.

import Equally
import Foundation
import XCTest

final class EquallyTests: PhoneTestCase {
    private func garden(on phone: EquallyCore, with coFounders: [String]) async throws -> ProjectView {
        try await phone.startProject(
            project: NewProject(
                title: text("Community garden", easyRead: "We grow food together"),
                purpose: text("Grow food and friendships"),
                joinPolicy: .open,
                coFounders: coFounders
            )
        )
    }

    private func skill(_ words: String, tags: [String] = ["gardening"]) -> NewOffer {
        NewOffer(kind: .skill, description: text(words), howMuch: "two hours a week", tags: tags)
    }

    // MARK: whose phone it is

    func testAPhoneStartedOfflineActsOnlyAsItsPerson() async throws {
        // Out of the box the phone is nobody's, and says so.
        let phone = try await newPhone("priya")
        let nobodysYet = try await phone.thisPhone()
        XCTAssertNil(nobodysYet)
        let before = await refusal("me() on a phone nobody has started") { try await phone.me() }
        guard case .Conflict = before else { return XCTFail("wrong kind: \(String(describing: before))") }

        // Priya, staff, starts a group on it with no server: the phone is hers.
        let startedAt = phone.now()
        let priya = try await phone.startOffline(
            organisationName: "Riverside Mind", me: newPerson("Priya", .staff, on: phone))
        let me = try await phone.me()
        XCTAssertEqual(me, priya.id)
        let whose = try await phone.thisPhone()
        let thisPhone = try XCTUnwrap(whose)
        XCTAssertEqual(thisPhone.personId, priya.id)
        XCTAssertEqual(thisPhone.started, .offline)
        XCTAssertGreaterThanOrEqual(thisPhone.since, startedAt)
        let organisation = try await phone.organisation()
        XCTAssertEqual(organisation?.name, "Riverside Mind")

        // She adds Sam to her group; what she does is still hers.
        let sam = try await phone.addPerson(person: newPerson("Sam", .supportedPerson, on: phone))
        let offer = try await phone.makeOffer(offer: skill("I can plan the beds"))
        XCTAssertEqual(offer.personId, priya.id)
        let hers = try await phone.offersOf(person: priya.id)
        XCTAssertEqual(hers.map(\.id), [offer.id])
        let his = try await phone.offersOf(person: sam.id)
        XCTAssertTrue(his.isEmpty)
        let home = try await phone.home()
        XCTAssertEqual(home.personId, priya.id)
        XCTAssertEqual(home.name, "Priya")

        // Acting for Sam is a call of its own, and it records who did it.
        let project = try await garden(on: phone, with: [sam.id])
        let proposal = try await phone.propose(
            project: project.id,
            proposal: NewProposal(
                title: text("Build raised beds"), body: text("So everyone can reach the soil"),
                rules: proposalRules(method: .consent, options: [], quorumPercent: 50),
                closesAt: phone.now() + 7 * 24 * 60 * 60 * 1000
            )
        )
        _ = try await phone.vote(id: proposal.id, ballot: .consent(.consent), reason: nil)
        let noConsent = await refusal("a vote entered for Sam without his consent recorded") {
            try await phone.enterVoteOnBehalf(
                id: proposal.id, voter: sam.id, ballot: .consent(.standAside), reason: nil, consentRecorded: false)
        }
        guard case .Invalid = noConsent else { return XCTFail("wrong kind: \(String(describing: noConsent))") }
        let voted = try await phone.enterVoteOnBehalf(
            id: proposal.id, voter: sam.id, ballot: .consent(.standAside),
            reason: "Told Priya at the drop-in", consentRecorded: true)
        XCTAssertEqual(voted.result?.turnout.voted, 2)
        XCTAssertEqual(voted.myVote?.voter, priya.id)
        XCTAssertEqual(voted.myVote?.ballot, .consent(.consent), "Sam's vote did not become Priya's")
        let samsBallot = try XCTUnwrap(voted.ballots.first { $0.voter == sam.id })
        XCTAssertEqual(samsBallot.ballot, .consent(.standAside))
        XCTAssertEqual(samsBallot.enteredBy, priya.id)

        let logged = try await phone.logContribution(
            contribution: NewContribution(
                personId: sam.id, projectId: project.id, what: "Watered the seedlings", minutes: 30,
                doneOn: "2026-05-02"))
        XCTAssertEqual(logged.personId, sam.id)
        XCTAssertEqual(logged.loggedBy, priya.id)

        // Who came can be marked from half an hour before: this one is soon.
        let start = phone.now() + 10 * 60 * 1000
        let meeting = try await phone.scheduleMeeting(
            meeting: NewMeeting(
                project: project.id, title: text("Planting day"), format: .inPerson,
                times: MeetingTimes(startsAt: start, endsAt: start + 60 * 60 * 1000, timeZone: "Europe/London")))
        try await phone.markAttendance(meeting: meeting.id, person: sam.id, present: true)
        let register = try await phone.meeting(id: meeting.id)
        XCTAssertEqual(register.attendance.map(\.personId), [sam.id])
        XCTAssertEqual(register.attendance.first?.how, .marked)

        // The phone cannot be started a second time, as someone else.
        let again = await refusal("starting Priya's phone again") {
            try await phone.startOffline(organisationName: "Another group", me: newPerson("Alex", .staff, on: phone))
        }
        guard case .Conflict = again else { return XCTFail("wrong kind: \(String(describing: again))") }
        let stillHers = try await phone.me()
        XCTAssertEqual(stillHers, priya.id)

        // Only staff add people: Sam's own phone, started by him, cannot.
        let (samsPhone, _) = try await phoneStartedOffline(by: "Sam", .supportedPerson, group: "Sam's allotment")
        let notStaff = await refusal("Sam adding someone") {
            try await samsPhone.addPerson(person: newPerson("Jo", .volunteer, on: samsPhone))
        }
        guard case .NotAllowed = notStaff else { return XCTFail("wrong kind: \(String(describing: notStaff))") }
    }

    // MARK: projects

    func testAProjectCoFoundedWithAPersonSupportedIsNotFlaggedAsStaffOnly() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Priya", .staff)
        let sam = try await phone.addPerson(person: newPerson("Sam", .supportedPerson, on: phone))
        let project = try await garden(on: phone, with: [sam.id])
        XCTAssertEqual(project.stage, .idea)
        XCTAssertFalse(project.setUpByStaffOnly)
        XCTAssertEqual(Set(project.members.map(\.name)), ["Priya", "Sam"])
        XCTAssertTrue(project.members.allSatisfy { $0.role == .coFounder })
    }

    func testAProjectStartedByStaffAloneSaysSo() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Priya", .staff)
        let alex = try await phone.addPerson(person: newPerson("Alex", .staff, on: phone))
        let project = try await garden(on: phone, with: [alex.id])
        XCTAssertTrue(project.setUpByStaffOnly)
        XCTAssertTrue(project.staffOnlyNotice?.contains("employees only") ?? false)
    }

    func testADoneProjectCanBeReopened() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Sam", .supportedPerson, group: "Sam's allotment")
        let project = try await garden(on: phone, with: [])
        _ = try await phone.setStage(id: project.id, stage: .done)
        let reopened = try await phone.setStage(id: project.id, stage: .doing)
        XCTAssertEqual(reopened.stage, .doing)
        XCTAssertEqual(reopened.timesReopened, 1)
    }

    func testEasyReadIsShownToAReaderWhoAskedForIt() async throws {
        let (phone, sam) = try await phoneStartedOffline(by: "Sam", .supportedPerson, group: "Sam's allotment")
        let project = try await garden(on: phone, with: [])
        // Until Sam asks for easy read, he reads the words as written.
        XCTAssertEqual(project.title.text, "Community garden")
        XCTAssertFalse(project.title.isEasyRead)

        let usual = phone.defaultPreferences()
        let prefs = Preferences(
            languages: usual.languages, easyRead: true, readAloud: true, textSize: .large,
            timeZone: usual.timeZone, reminders: usual.reminders, recognition: .certificate
        )
        _ = try await phone.updatePreferences(person: sam.id, preferences: prefs)
        let easy = try await phone.project(id: project.id)
        XCTAssertEqual(easy.title.text, "We grow food together")
        XCTAssertTrue(easy.title.isEasyRead)
        XCTAssertEqual(easy.purpose.text, "Grow food and friendships", "no easy-read variant: the original")
    }

    func testTimesSomeoneCantDoAreSeenByThemButNotByOthers() async throws {
        let team = try await team()
        let usual = team.sam.defaultPreferences()
        let prefs = Preferences(
            languages: ["pl", "en-GB"], easyRead: false, readAloud: false, textSize: .standard,
            timeZone: "Europe/London",
            reminders: ReminderPreferences(offsetsMinutes: [60], quietHours: QuietHours(start: "22:00", end: "07:00")),
            accessNeeds: [.stepFree, .captions],
            unavailable: [Unavailability(weekday: .tuesday, start: "10:00", end: "12:00")],
            recognition: usual.recognition
        )
        let sam = try await team.sam.updatePreferences(person: team.samId, preferences: prefs)
        let own = try await team.sam.person(id: team.samId)
        XCTAssertEqual(own.preferences, prefs)
        // What an organiser needs travels on the person everyone sees.
        XCTAssertEqual(sam.accessNeeds, [.stepFree, .captions])
        XCTAssertEqual(sam.unavailable, [Unavailability(weekday: .tuesday, start: "10:00", end: "12:00")])

        try await syncInTurn(team.sam, team.jo)
        let other = try await team.jo.person(id: team.samId)
        XCTAssertEqual(other.name, "Sam")
        XCTAssertNil(other.preferences)
        let refused = await refusal("Jo reading Sam's preferences") {
            try await team.jo.preferences(person: team.samId)
        }
        guard case .NotAllowed = refused else { return XCTFail("wrong kind: \(String(describing: refused))") }
    }

    func testAQuietHourThatIsNotATimeIsRefused() async throws {
        let (phone, sam) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let usual = phone.defaultPreferences()
        let prefs = Preferences(
            languages: usual.languages, easyRead: false, readAloud: false, textSize: .standard,
            timeZone: usual.timeZone,
            reminders: ReminderPreferences(offsetsMinutes: [60], quietHours: QuietHours(start: "25:00", end: "07:00")),
            recognition: usual.recognition
        )
        let error = await refusal("25:00 as a quiet hour") {
            try await phone.updatePreferences(person: sam.id, preferences: prefs)
        }
        guard case .Invalid = error else { return XCTFail("wrong kind: \(String(describing: error))") }
        let sentence = error?.localizedDescription ?? ""
        XCTAssertTrue(sentence.lowercased().contains("quiet hours"), sentence)
        XCTAssertFalse(sentence.contains("_"), "a person never reads a field's code name: \(sentence)")
        let kept = try await phone.preferences(person: sam.id)
        XCTAssertEqual(kept.reminders, usual.reminders, "nothing stored was changed")
    }

    // MARK: offers

    func testAnOfferCanBeWithdrawnAndStaysInHistory() async throws {
        let (phone, sam) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let offer = try await phone.makeOffer(offer: skill("I can grow tomatoes"))
        XCTAssertNil(offer.withdrawnAt)
        try await phone.withdrawOffer(offer: offer.id)
        let offers = try await phone.offersOf(person: sam.id)
        XCTAssertEqual(offers.count, 1)
        XCTAssertTrue(offers[0].withdrawn)
        XCTAssertEqual(offers[0].description.text, "I can grow tomatoes")
    }

    func testNobodyCanWithdrawSomeoneElsesOffer() async throws {
        let team = try await team()
        let offer = try await team.sam.makeOffer(offer: skill("I can grow tomatoes"))
        try await syncInTurn(team.sam, team.priya)
        let seen = try await team.priya.offersOf(person: team.samId)
        XCTAssertEqual(seen.map(\.id), [offer.id], "Sam's offer reached Priya's phone")

        let error = await refusal("Priya withdrawing Sam's offer") {
            try await team.priya.withdrawOffer(offer: offer.id)
        }
        guard case .NotAllowed = error else { return XCTFail("wrong kind: \(String(describing: error))") }
        XCTAssertTrue(error?.localizedDescription.contains("only the person who made an offer") ?? false,
                      error?.localizedDescription ?? "")
        let after = try await team.priya.offersOf(person: team.samId)
        XCTAssertEqual(after.map(\.withdrawn), [false])
    }

    func testAGardenerIsSuggestedForAGardenThatNeedsOne() async throws {
        let team = try await team()
        let project = try await garden(on: team.priya, with: [team.samId])
        _ = try await team.priya.addNeed(
            project: project.id, kind: .skill,
            description: text("Someone to plan the vegetable beds"), tags: ["gardening"]
        )
        let sams = try await team.sam.makeOffer(offer: skill("I know vegetable growing"))
        let jos = try await team.jo.makeOffer(offer: skill("Jo is not in the project"))
        try await syncInTurn(team.priya, team.sam, team.jo, team.priya)
        let josSeen = try await team.priya.offersOf(person: team.joId)
        XCTAssertEqual(josSeen.map(\.id), [jos.id], "Jo's offer reached Priya's phone too")

        let matches = try await team.priya.matchOffers(project: project.id)
        XCTAssertEqual(matches.map(\.offer.id), [sams.id])
        XCTAssertEqual(matches[0].offer.personName, "Sam")
        XCTAssertTrue(matches[0].shared.contains("gardening"))
    }

    // MARK: contributions and the home screen

    func testALoggedContributionAndItsThanksShowOnTheHomeScreen() async throws {
        let team = try await team()
        let project = try await garden(on: team.priya, with: [team.samId])
        try await syncInTurn(team.priya, team.sam)

        let logged = try await team.sam.logContribution(
            contribution: NewContribution(
                personId: team.samId, projectId: project.id, what: "Dug the first bed",
                minutes: 150, doneOn: "2026-05-02"
            )
        )
        XCTAssertEqual(logged.recognition, .thanks)
        XCTAssertEqual(logged.loggedBy, team.samId)
        try await syncInTurn(team.sam, team.priya)
        try await team.priya.thank(contribution: logged.id, note: "Brilliant work")
        try await syncInTurn(team.priya, team.sam)

        let home = try await team.sam.home()
        XCTAssertEqual(home.personId, team.samId)
        XCTAssertEqual(home.name, "Sam")
        XCTAssertEqual(home.minutesGiven, 150)
        XCTAssertEqual(home.timeGivenLabel, "2 hours given")
        XCTAssertEqual(home.projects.map(\.id), [project.id])
        XCTAssertEqual(home.projects[0].stageLabel, "Idea")

        let given = try await team.sam.timeGiven(person: team.samId)
        XCTAssertEqual(given.thanksReceived, 1)
        XCTAssertEqual(given.byProject.map(\.minutes), [150])
    }

    func testAnActionTakenOnShowsAsMineAtHome() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let project = try await garden(on: phone, with: [])
        _ = try await phone.addAction(project: project.id, what: text("Buy seeds"), dueOn: "2026-06-01", takeIt: true)
        let home = try await phone.home()
        XCTAssertEqual(home.myActions.map(\.what.text), ["Buy seeds"])
        XCTAssertEqual(home.myActions[0].dueOn, "2026-06-01")
    }

    func testChangesWaitInTheOutboxUntilSynced() async throws {
        let phone = try await newPhone("sam")
        let before = try await phone.pendingCount()
        XCTAssertEqual(before, 0)
        _ = try await phone.startOffline(organisationName: "Riverside Mind", me: newPerson("Sam", .supportedPerson, on: phone))
        let started = try await phone.pendingCount()
        XCTAssertGreaterThan(started, before)
        _ = try await phone.makeOffer(offer: skill("I can grow tomatoes"))
        let after = try await phone.pendingCount()
        XCTAssertGreaterThan(after, started)
    }

    // MARK: change notices

    func testAListenerHearsAboutAnOfferAndNothingAfterCancel() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let heard = Recorder()
        let handle = try phone.subscribe(listener: heard)
        let offer = try await phone.makeOffer(offer: skill("I can fix bikes"))
        try await eventually { heard.changes.contains { $0.entity == "offer" && $0.id == offer.id } }

        handle.cancel()
        heard.clear()
        _ = try await phone.makeOffer(offer: skill("And mend fences"))
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertTrue(heard.changes.isEmpty, "heard after cancel: \(heard.changes)")
    }

    func testABackgroundTaskOnTheSameFileIsHeardByTheOpenScreen() async throws {
        let (screenPhone, sam) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let screen = Recorder()
        let handle = try screenPhone.subscribe(listener: screen)
        // A background task opens its own handle on the same file: the same
        // phone, so the same person.
        let worker = try await EquallyCore.open(databasePath: folder.appendingPathComponent("Sam.db").path)
        let workersPerson = try await worker.me()
        XCTAssertEqual(workersPerson, sam.id)
        let offer = try await worker.makeOffer(offer: skill("I can fix bikes"))
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
            guard case .Corrupt = error else { return XCTFail("wrong kind: \(error)") }
        }
        let line = try XCTUnwrap(log.lines.first { $0.target == "equally_core::error" }, "\(log.lines)")
        XCTAssertEqual(line.level, .error)
        XCTAssertTrue(line.message.hasPrefix("sqlite error"), line.message)
    }

    func testChangesArriveAsAnAsyncSequence() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Jo", .volunteer)
        let stream = try phone.changes()
        let offer = try await phone.makeOffer(offer: skill("I can drive the van"))
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
        let (phone, _) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let error = await refusal("an empty title") {
            try await phone.startProject(
                project: NewProject(title: text("   "), purpose: text("Anything"), joinPolicy: .open))
        }
        guard case .Invalid = error else { return XCTFail("wrong kind: \(String(describing: error))") }
        XCTAssertEqual(error?.localizedDescription, "The title is empty")
    }

    func testAMangledIdIsRefusedAsInvalidNotACrash() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        let error = await refusal("a mangled id") { try await phone.offersOf(person: "not-an-id") }
        guard case .Invalid = error else { return XCTFail("wrong kind: \(String(describing: error))") }
        XCTAssertEqual(error?.localizedDescription, "person id is not a valid id")
    }

    func testSomeoneOutsideAProjectIsNotAllowedToChangeIt() async throws {
        let team = try await team()
        let project = try await garden(on: team.priya, with: [team.samId])
        try await syncInTurn(team.priya, team.jo)
        // Jo finds the open project on his phone, but is not a member.
        let found = try await team.jo.project(id: project.id)
        XCTAssertNil(found.myStatus)
        let error = await refusal("Jo, an outsider, changing the project's stage") {
            try await team.jo.setStage(id: project.id, stage: .doing)
        }
        guard case .NotAllowed(let sentence) = error else {
            return XCTFail("wrong kind: \(String(describing: error))")
        }
        XCTAssertFalse(sentence.isEmpty)
        let unchanged = try await team.jo.project(id: project.id)
        XCTAssertEqual(unchanged.stage, .idea)
    }

    // MARK: concurrency

    func testManyCallsAtOnceAllComplete() async throws {
        let (phone, sam) = try await phoneStartedOffline(by: "Sam", .supportedPerson)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<24 {
                group.addTask {
                    _ = try await phone.makeOffer(
                        offer: NewOffer(kind: .time, description: TextVariants(
                            original: Wording(lang: "en-GB", text: "Saturday morning \(n)")
                        ))
                    )
                    _ = try await phone.home()
                }
            }
            try await group.waitForAll()
        }
        let offers = try await phone.offersOf(person: sam.id)
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
