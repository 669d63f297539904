// Decisions, meetings and check-ins from Swift, the way the iPhone app uses
// them: a proposal and its votes, a meeting with an RSVP and the reminder
// plan it feeds, and a check-in written in one call. Priya (staff) and Sam
// (a person the charity supports) each on their own phone, through the
// charity's server; what one phone can show alone, Priya's phone shows.

import Equally
import Foundation
import XCTest

private let dayMs: Int64 = 24 * 60 * 60 * 1000

final class DecisionsAndMeetingsTests: PhoneTestCase {
    /// Priya's garden, co-founded with Sam, on both their phones.
    private func gardenOnTheirPhones() async throws -> (Team, ProjectView) {
        let team = try await team()
        let garden = try await team.priya.startProject(
            project: NewProject(
                title: text("Community garden"),
                purpose: text("Grow food together"),
                joinPolicy: .open,
                coFounders: [team.samId]
            )
        )
        try await syncInTurn(team.priya, team.sam)
        return (team, garden)
    }

    private func proposeRaisedBeds(on phone: EquallyCore, in project: ProjectView) async throws -> ProposalView {
        try await phone.propose(
            project: project.id,
            proposal: NewProposal(
                title: text("Build raised beds"),
                body: text("So everyone can reach the soil"),
                rules: proposalRules(method: .consent, options: [], quorumPercent: 50),
                closesAt: phone.now() + 7 * dayMs
            )
        )
    }

    // MARK: decisions

    func testAnObjectionKeepsAProposalFromPassing() async throws {
        let (team, garden) = try await gardenOnTheirPhones()
        let proposal = try await proposeRaisedBeds(on: team.priya, in: garden)
        XCTAssertEqual(proposal.phase, .open)
        XCTAssertTrue(proposal.canVote)
        _ = try await team.priya.vote(id: proposal.id, ballot: .consent(.consent), reason: nil)
        try await syncInTurn(team.priya, team.sam)

        // Sam objects on his own phone, with Priya beside him helping.
        let seen = try await team.sam.voteAssisted(
            id: proposal.id, supporter: team.priyaId, ballot: .consent(.object),
            reason: "The path is too narrow for my chair")
        let result = try XCTUnwrap(seen.result)
        XCTAssertEqual(result.asItStands, .blocked)
        XCTAssertEqual(result.turnout.voted, 2)
        XCTAssertEqual(seen.myVote?.voter, team.samId)
        XCTAssertEqual(seen.myVote?.ballot, .consent(.object))
        XCTAssertEqual(seen.myVote?.assistedBy, team.priyaId)

        // Withdrawn, the objection stays on the record and no longer blocks.
        let after = try await team.sam.withdrawObjection(id: proposal.id)
        XCTAssertEqual(after.result?.asItStands, .passed)
        XCTAssertEqual(after.myVote?.objection.withdrawn, true)
        let listed = try await team.sam.proposals(project: garden.id)
        XCTAssertEqual(listed.map(\.id), [proposal.id])

        // Priya's phone hears all of it: Sam's reason and his withdrawal.
        try await syncInTurn(team.sam, team.priya)
        let onPriyas = try await team.priya.proposal(id: proposal.id)
        XCTAssertEqual(onPriyas.result?.asItStands, .passed)
        let sams = try XCTUnwrap(onPriyas.ballots.first { $0.voter == team.samId })
        XCTAssertEqual(sams.reason, "The path is too narrow for my chair")
        XCTAssertTrue(sams.objection.withdrawn)
        XCTAssertEqual(onPriyas.myVote?.ballot, .consent(.consent))
    }

    func testABallotThatDoesNotFitTheMethodIsATypedError() async throws {
        let (phone, _) = try await phoneStartedOffline(by: "Priya", .staff)
        let sam = try await phone.addPerson(person: newPerson("Sam", .supportedPerson, on: phone))
        let garden = try await phone.startProject(
            project: NewProject(
                title: text("Community garden"), purpose: text("Grow food together"), joinPolicy: .open,
                coFounders: [sam.id]))
        let proposal = try await proposeRaisedBeds(on: phone, in: garden)
        let error = await refusal("a single-choice ballot on a consent proposal") {
            try await phone.vote(id: proposal.id, ballot: .single("beds"), reason: nil)
        }
        guard case .Invalid(let sentence) = error else {
            return XCTFail("wrong kind: \(String(describing: error))")
        }
        XCTAssertFalse(sentence.isEmpty)
        XCTAssertFalse(sentence.contains("="), "a sentence, not a field dump: \(sentence)")
        // Entered for Sam, the same ballot is refused the same way.
        let forSam = await refusal("a single-choice ballot entered for Sam") {
            try await phone.enterVoteOnBehalf(
                id: proposal.id, voter: sam.id, ballot: .single("beds"), reason: nil, consentRecorded: true)
        }
        guard case .Invalid = forSam else { return XCTFail("wrong kind: \(String(describing: forSam))") }
        let after = try await phone.proposal(id: proposal.id)
        XCTAssertNil(after.myVote)
        XCTAssertTrue(after.ballots.isEmpty)
    }

    // MARK: meetings

    func testAnRsvpToAMeetingPutsItInTheReminderPlan() async throws {
        let (team, garden) = try await gardenOnTheirPhones()
        let start = team.priya.now() + 2 * dayMs
        let meeting = try await team.priya.scheduleMeeting(
            meeting: NewMeeting(
                project: garden.id,
                title: text("Planting day"),
                format: .inPerson,
                place: text("The allotment gate"),
                times: MeetingTimes(startsAt: start, endsAt: start + 2 * 60 * 60 * 1000, timeZone: "Europe/London")
            )
        )
        XCTAssertEqual(meeting.title.text, "Planting day")
        try await syncInTurn(team.priya, team.sam)
        // A meeting of his project is in Sam's plan as soon as it arrives.
        let beforeAnswering = try await team.sam.reminderPlan()
        XCTAssertTrue(beforeAnswering.contains { $0.link.id == meeting.id }, "reminders: \(beforeAnswering)")

        // Sam says he is going, on his own phone.
        let answer = try await team.sam.rsvp(meeting: meeting.id, answer: .going)
        XCTAssertEqual(answer.answer, .going)
        XCTAssertNil(answer.waitingPosition)
        let screen = try await team.sam.meeting(id: meeting.id)
        XCTAssertEqual(screen.going, 1)
        let mine = try await team.sam.myMeetings()
        XCTAssertEqual(mine.map(\.id), [meeting.id])

        // His phone plans his reminders; they fire with no signal.
        let plan = try await team.sam.reminderPlan()
        let forMeeting = plan.filter { $0.link.kind == .meeting && $0.link.id == meeting.id }
        XCTAssertFalse(forMeeting.isEmpty, "reminders: \(plan)")
        XCTAssertTrue(forMeeting.allSatisfy { $0.fireAt < start && $0.eventAt == start })
        let calendar = try await team.sam.meetingCalendar(id: meeting.id)
        XCTAssertTrue(calendar.contains("BEGIN:VEVENT"))

        // Priya, organising, sees who is coming.
        try await syncInTurn(team.sam, team.priya)
        let organiser = try await team.priya.meeting(id: meeting.id)
        XCTAssertEqual(organiser.going, 1)

        // Sam changes his mind: not going, and his phone stops reminding him.
        _ = try await team.sam.rsvp(meeting: meeting.id, answer: .notGoing)
        let replanned = try await team.sam.reminderPlan()
        XCTAssertFalse(replanned.contains { $0.link.id == meeting.id }, "reminders: \(replanned)")
    }

    // MARK: check-ins

    func testACheckInIsWrittenInOneCallAndItsFollowUpComesDue() async throws {
        let (team, garden) = try await gardenOnTheirPhones()
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd"
        format.locale = Locale(identifier: "en_GB_POSIX")
        let yesterday = format.string(from: Date().addingTimeInterval(-24 * 60 * 60))
        let written = try await team.priya.writeCheckIn(
            checkIn: NewCheckIn(
                project: garden.id, mood: 4, note: "Good session, Sam led the planting", followUpOn: yesterday)
        )
        XCTAssertEqual(written.tier, .project)
        XCTAssertEqual(written.mood, 4)
        XCTAssertEqual(written.writtenBy, team.priyaId)
        let due = try await team.priya.followUpsDue()
        XCTAssertEqual(due.map(\.id), [written.id])

        // A project check-in is for the project's members: Sam reads it.
        try await syncInTurn(team.priya, team.sam)
        let seen = try await team.sam.checkInsForProject(project: garden.id)
        XCTAssertEqual(seen.map(\.id), [written.id])
        XCTAssertNotNil(seen.first?.moodLabel)
        XCTAssertEqual(seen.first?.writtenByName, "Priya")
        let samsDue = try await team.sam.followUpsDue()
        XCTAssertTrue(samsDue.isEmpty, "Priya's follow-up is hers, not Sam's")

        let error = await refusal("a mood off the five-face scale") {
            try await team.priya.writeCheckIn(checkIn: NewCheckIn(project: garden.id, mood: 9))
        }
        guard case .Invalid = error else { return XCTFail("wrong kind: \(String(describing: error))") }
    }
}
