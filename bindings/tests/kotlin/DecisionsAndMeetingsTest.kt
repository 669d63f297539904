// Decisions, meetings and check-ins from Kotlin, the way the Android app
// uses them, on Priya's phone: she started Riverside Mind on it offline,
// added Sam, and the two of them co-founded a garden. Everything on the
// phone is Priya's own doing; Sam's say reaches it only through the calls
// that name him — a spoken vote entered for him with his consent, his
// attendance marked at a meeting.

package org.equally.tests

import kotlinx.coroutines.runBlocking
import org.equally.core.AttendanceMethod
import org.equally.core.Ballot
import org.equally.core.CheckInTier
import org.equally.core.ConsentChoice
import org.equally.core.EquallyCore
import org.equally.core.EquallyException
import org.equally.core.JoinPolicy
import org.equally.core.LinkKind
import org.equally.core.MeetingFormat
import org.equally.core.MeetingTimes
import org.equally.core.NewCheckIn
import org.equally.core.NewMeeting
import org.equally.core.NewProject
import org.equally.core.NewProposal
import org.equally.core.Person
import org.equally.core.PersonKind
import org.equally.core.Phase
import org.equally.core.ProjectView
import org.equally.core.ProposalStatus
import org.equally.core.Rsvp
import org.equally.core.VotingMethod
import org.equally.core.proposalRules
import org.junit.After
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

private const val DAY_MS = 24L * 60 * 60 * 1000

class DecisionsAndMeetingsTest {
    @get:Rule
    val folder = TemporaryFolder()

    private val phones by lazy { Phones(folder) }
    private lateinit var phone: EquallyCore // Priya's
    private lateinit var priya: Person // staff
    private lateinit var sam: Person // a person the charity supports
    private lateinit var garden: ProjectView

    @Before
    fun aGardenCoFoundedByPriyaAndSam() = runBlocking {
        val (p, me) = phones.startedOffline("Priya", PersonKind.STAFF)
        phone = p
        priya = me
        sam = phone.addPerson(phone.newPerson("Sam", PersonKind.SUPPORTED_PERSON))
        garden = phone.startProject(
            NewProject(
                title = words("Community garden"),
                purpose = words("Grow food together"),
                joinPolicy = JoinPolicy.OPEN,
                coFounders = listOf(sam.id),
            ),
        )
    }

    @After
    fun letGoOfThePhone() = phones.closeAll()

    private suspend fun proposeRaisedBeds() = phone.propose(
        garden.id,
        NewProposal(
            title = words("Build raised beds"),
            body = words("So everyone can reach the soil"),
            rules = proposalRules(VotingMethod.Consent, emptyList(), 50u),
            closesAt = phone.now() + 7 * DAY_MS,
        ),
    )

    // Decisions

    @Test
    fun anObjectionKeepsAProposalFromPassing() = runBlocking {
        val proposal = proposeRaisedBeds()
        assertEquals(Phase.OPEN, proposal.phase)
        assertTrue(proposal.canVote)
        assertEquals(priya.id, proposal.author.personId)

        phone.enterVoteOnBehalf(proposal.id, sam.id, Ballot.Consent(ConsentChoice.CONSENT), null, true)
        val seen = phone.vote(proposal.id, Ballot.Consent(ConsentChoice.OBJECT), "The path is too narrow for a wheelchair")

        val result = assertNotNull(seen.result)
        assertEquals(ProposalStatus.BLOCKED, result.asItStands)
        assertEquals(2u, result.turnout.voted)
        assertEquals(priya.id, seen.myVote!!.voter)
        assertEquals(ConsentChoice.OBJECT, (seen.myVote!!.ballot as Ballot.Consent).v1)

        // Withdrawn, the objection stays on the record and no longer blocks.
        val after = phone.withdrawObjection(proposal.id)
        assertEquals(ProposalStatus.PASSED, after.result!!.asItStands)
        assertTrue(after.myVote!!.objection.withdrawn)
        assertEquals(1, phone.proposals(garden.id).size)
    }

    @Test
    fun aSpokenVoteIsEnteredForSomeoneOnlyWithTheirConsent() = runBlocking {
        val proposal = proposeRaisedBeds()
        // Without Sam's consent on record, his vote is not entered.
        assertFailsWith<EquallyException.Invalid> {
            phone.enterVoteOnBehalf(proposal.id, sam.id, Ballot.Consent(ConsentChoice.OBJECT), "Too narrow", false)
        }
        assertEquals(0u, phone.proposal(proposal.id).result!!.turnout.voted)

        // With it, it counts as Sam's own vote, and says who entered it.
        val seen = phone.enterVoteOnBehalf(
            proposal.id, sam.id, Ballot.Consent(ConsentChoice.OBJECT), "The path is too narrow for my chair", true,
        )
        assertNull(seen.myVote, "Sam's vote is not Priya's")
        assertEquals(ProposalStatus.BLOCKED, seen.result!!.asItStands)
        val his = seen.ballots.single()
        assertEquals(sam.id, his.voter)
        assertEquals(priya.id, his.enteredBy)
        assertEquals("The path is too narrow for my chair", his.reason)

        // The group resolves his objection with him, and the proposal can pass.
        phone.vote(proposal.id, Ballot.Consent(ConsentChoice.CONSENT), null)
        val resolved = phone.resolveObjection(proposal.id, sam.id, "We widen the path to a metre and a half", true)
        assertEquals(ProposalStatus.PASSED, resolved.result!!.asItStands)
        assertTrue(resolved.ballots.single { it.voter == sam.id }.objection.resolved)
    }

    @Test
    fun aBallotThatDoesNotFitTheMethodIsATypedException() = runBlocking {
        val proposal = proposeRaisedBeds()
        val e = assertFailsWith<EquallyException.Invalid> {
            phone.vote(proposal.id, Ballot.Single("beds"), null)
        }
        assertTrue(e.message!!.isNotBlank())
        assertFalse(e.message!!.contains("="), "a sentence, not a field dump: ${e.message}")
        assertEquals(null, phone.proposal(proposal.id).myVote)
    }

    // Meetings

    private suspend fun plantingDay(start: Long) = phone.scheduleMeeting(
        NewMeeting(
            project = garden.id,
            title = words("Planting day"),
            format = MeetingFormat.IN_PERSON,
            place = words("The allotment gate"),
            times = MeetingTimes(startsAt = start, endsAt = start + 2 * 60 * 60 * 1000, timeZone = "Europe/London"),
        ),
    )

    @Test
    fun anRsvpToAMeetingPutsItInTheReminderPlan() = runBlocking {
        val start = phone.now() + 2 * DAY_MS
        val meeting = plantingDay(start)
        assertEquals("Planting day", meeting.title.text)
        assertEquals(priya.id, meeting.organiserId)
        // A project meeting is in its members' plans unless they say they
        // are not going.
        phone.rsvp(meeting.id, Rsvp.NOT_GOING)
        assertTrue(phone.reminderPlan().none { it.link.id == meeting.id })

        val answer = phone.rsvp(meeting.id, Rsvp.GOING)
        assertEquals(Rsvp.GOING, answer.answer)
        assertEquals(null, answer.waitingPosition)
        assertEquals(1u, phone.meeting(meeting.id).going)
        assertEquals(listOf(meeting.id), phone.myMeetings().map { it.id })

        val plan = phone.reminderPlan()
        val forMeeting = plan.filter { it.link.kind == LinkKind.MEETING && it.link.id == meeting.id }
        assertTrue(forMeeting.isNotEmpty(), "reminders: $plan")
        assertTrue(forMeeting.all { it.fireAt < start && it.eventAt == start })
        assertTrue(phone.meetingCalendar(meeting.id).contains("BEGIN:VEVENT"))
    }

    @Test
    fun theOrganiserMarksWhoCameByName() = runBlocking {
        val meeting = plantingDay(phone.now() - 60 * 60 * 1000)
        phone.markAttendance(meeting.id, sam.id, true)
        val seen = phone.meeting(meeting.id)
        val his = seen.attendance.single()
        assertEquals(sam.id, his.personId)
        assertEquals("Sam", his.name)
        assertTrue(his.present)
        assertEquals(AttendanceMethod.MARKED, his.how)
        // Marking Sam is not Priya coming.
        assertFalse(seen.iCame)
    }

    // Check-ins

    @Test
    fun aCheckInIsWrittenInOneCallAndItsFollowUpComesDue() = runBlocking {
        val yesterday = LocalDate.now().minusDays(1).toString()
        val written = phone.writeCheckIn(
            NewCheckIn(project = garden.id, mood = 4u, note = "Good session, Sam led the planting", followUpOn = yesterday),
        )
        assertEquals(CheckInTier.PROJECT, written.tier)
        assertEquals(4u.toUByte(), written.mood)

        val seen = phone.checkInsForProject(garden.id)
        assertEquals(listOf(written.id), seen.map { it.id })
        assertNotNull(seen[0].moodLabel)
        assertEquals(listOf(written.id), phone.followUpsDue().map { it.id })

        assertFailsWith<EquallyException.Invalid> {
            phone.writeCheckIn(NewCheckIn(project = garden.id, mood = 9u))
        }
        assertEquals(1, phone.checkInsForProject(garden.id).size)
    }
}
