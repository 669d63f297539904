// Decisions, meetings and check-ins from Swift, the way the iPhone app uses
// them: a proposal and its votes, a meeting with an RSVP and the reminder
// plan it feeds, and a check-in written in one call.

import Equally
import Foundation
import XCTest

private let dayMs: Int64 = 24 * 60 * 60 * 1000

final class DecisionsAndMeetingsTests: XCTestCase {
    private var folder: URL!
    private var core: EquallyCore!
    private var priya: Person!  // staff
    private var sam: Person!  // a person the charity supports
    private var garden: ProjectView!

    private func text(_ words: String) -> TextVariants {
        TextVariants(original: Wording(lang: "en-GB", text: words))
    }

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equally-swift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        core = try await EquallyCore.open(databasePath: folder.appendingPathComponent("equally.db").path)
        _ = try await core.createOrganisation(name: "Riverside Mind")
        let prefs = core.defaultPreferences()
        priya = try await core.addPerson(addedBy: nil, person: NewPerson(name: "Priya", kind: .staff, preferences: prefs))
        sam = try await core.addPerson(
            addedBy: nil, person: NewPerson(name: "Sam", kind: .supportedPerson, preferences: prefs))
        garden = try await core.startProject(
            actor: sam.id,
            project: NewProject(
                title: text("Community garden"),
                purpose: text("Grow food together"),
                joinPolicy: .open,
                coFounders: [priya.id]
            )
        )
    }

    override func tearDown() async throws {
        core = nil
        try? FileManager.default.removeItem(at: folder)
    }

    private func proposeRaisedBeds() async throws -> ProposalView {
        try await core.propose(
            actor: priya.id,
            project: garden.id,
            proposal: NewProposal(
                title: text("Build raised beds"),
                body: text("So everyone can reach the soil"),
                rules: proposalRules(method: .consent, options: [], quorumPercent: 50),
                closesAt: core.now() + 7 * dayMs
            )
        )
    }

    // MARK: decisions

    func testAnObjectionKeepsAProposalFromPassing() async throws {
        let proposal = try await proposeRaisedBeds()
        XCTAssertEqual(proposal.phase, .open)
        XCTAssertTrue(proposal.canVote)

        _ = try await core.vote(actor: priya.id, id: proposal.id, ballot: .consent(.consent), reason: nil)
        let seen = try await core.vote(
            actor: sam.id, id: proposal.id, ballot: .consent(.object), reason: "The path is too narrow for my chair")
        let result = try XCTUnwrap(seen.result)
        XCTAssertEqual(result.asItStands, .blocked)
        XCTAssertEqual(result.turnout.voted, 2)
        XCTAssertEqual(seen.myVote?.ballot, .consent(.object))

        // Withdrawn, the objection stays on the record and no longer blocks.
        let after = try await core.withdrawObjection(actor: sam.id, id: proposal.id)
        XCTAssertEqual(after.result?.asItStands, .passed)
        XCTAssertEqual(after.myVote?.objection.withdrawn, true)
        let listed = try await core.proposals(reader: sam.id, project: garden.id)
        XCTAssertEqual(listed.map(\.id), [proposal.id])
    }

    func testABallotThatDoesNotFitTheMethodIsATypedError() async throws {
        let proposal = try await proposeRaisedBeds()
        do {
            _ = try await core.vote(actor: sam.id, id: proposal.id, ballot: .single("beds"), reason: nil)
            XCTFail("a single-choice ballot on a consent proposal was accepted")
        } catch EquallyError.Invalid(let sentence) {
            XCTAssertFalse(sentence.isEmpty)
            XCTAssertFalse(sentence.contains("="), "a sentence, not a field dump: \(sentence)")
        }
        let after = try await core.proposal(reader: sam.id, id: proposal.id)
        XCTAssertNil(after.myVote)
    }

    // MARK: meetings

    func testAnRsvpToAMeetingPutsItInTheReminderPlan() async throws {
        let start = core.now() + 2 * dayMs
        let meeting = try await core.scheduleMeeting(
            actor: priya.id,
            meeting: NewMeeting(
                project: garden.id,
                title: text("Planting day"),
                format: .inPerson,
                place: text("The allotment gate"),
                times: MeetingTimes(startsAt: start, endsAt: start + 2 * 60 * 60 * 1000, timeZone: "Europe/London")
            )
        )
        XCTAssertEqual(meeting.title.text, "Planting day")

        let answer = try await core.rsvp(actor: sam.id, meeting: meeting.id, answer: .going)
        XCTAssertEqual(answer.answer, .going)
        XCTAssertNil(answer.waitingPosition)
        let screen = try await core.meeting(reader: sam.id, id: meeting.id)
        XCTAssertEqual(screen.going, 1)
        let mine = try await core.myMeetings(reader: sam.id)
        XCTAssertEqual(mine.map(\.id), [meeting.id])

        let plan = try await core.reminderPlan(person: sam.id)
        let forMeeting = plan.filter { $0.link.kind == .meeting && $0.link.id == meeting.id }
        XCTAssertFalse(forMeeting.isEmpty, "reminders: \(plan)")
        XCTAssertTrue(forMeeting.allSatisfy { $0.fireAt < start && $0.eventAt == start })
        let calendar = try await core.meetingCalendar(reader: sam.id, id: meeting.id)
        XCTAssertTrue(calendar.contains("BEGIN:VEVENT"))
    }

    // MARK: check-ins

    func testACheckInIsWrittenInOneCallAndItsFollowUpComesDue() async throws {
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd"
        format.locale = Locale(identifier: "en_GB_POSIX")
        let yesterday = format.string(from: Date().addingTimeInterval(-24 * 60 * 60))
        let written = try await core.writeCheckIn(
            actor: priya.id,
            checkIn: NewCheckIn(
                project: garden.id, mood: 4, note: "Good session, Sam led the planting", followUpOn: yesterday)
        )
        XCTAssertEqual(written.tier, .project)
        XCTAssertEqual(written.mood, 4)

        let seen = try await core.checkInsForProject(reader: sam.id, project: garden.id)
        XCTAssertEqual(seen.map(\.id), [written.id])
        XCTAssertNotNil(seen.first?.moodLabel)
        let due = try await core.followUpsDue(reader: priya.id)
        XCTAssertEqual(due.map(\.id), [written.id])

        do {
            _ = try await core.writeCheckIn(actor: priya.id, checkIn: NewCheckIn(project: garden.id, mood: 9))
            XCTFail("a mood off the five-face scale was accepted")
        } catch EquallyError.Invalid {}
    }
}
