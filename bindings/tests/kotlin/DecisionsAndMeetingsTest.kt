// Decisions, meetings and check-ins from Kotlin, the way the Android app
// uses them: a proposal and its votes, a meeting with an RSVP and the
// reminder plan it feeds, and a check-in written in one call.

package org.equally.tests

import kotlinx.coroutines.runBlocking
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
import org.equally.core.NewPerson
import org.equally.core.NewProject
import org.equally.core.NewProposal
import org.equally.core.Person
import org.equally.core.PersonKind
import org.equally.core.Phase
import org.equally.core.ProjectView
import org.equally.core.ProposalStatus
import org.equally.core.Rsvp
import org.equally.core.TextVariants
import org.equally.core.VotingMethod
import org.equally.core.Wording
import org.equally.core.proposalRules
import org.junit.After
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.io.File
import java.time.LocalDate
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

private const val DAY_MS = 24L * 60 * 60 * 1000

class DecisionsAndMeetingsTest {
    @get:Rule
    val folder = TemporaryFolder()

    private lateinit var core: EquallyCore
    private lateinit var priya: Person // staff
    private lateinit var sam: Person // a person the charity supports
    private lateinit var garden: ProjectView

    private fun text(words: String) = TextVariants(Wording(lang = "en-GB", text = words))

    @Before
    fun aGardenCoFoundedBySamAndPriya() = runBlocking {
        core = EquallyCore.open(File(folder.root, "equally.db").path)
        core.createOrganisation("Riverside Mind")
        val prefs = core.defaultPreferences()
        priya = core.addPerson(null, NewPerson(name = "Priya", kind = PersonKind.STAFF, preferences = prefs))
        sam = core.addPerson(null, NewPerson(name = "Sam", kind = PersonKind.SUPPORTED_PERSON, preferences = prefs))
        garden = core.startProject(
            sam.id,
            NewProject(
                title = text("Community garden"),
                purpose = text("Grow food together"),
                joinPolicy = JoinPolicy.OPEN,
                coFounders = listOf(priya.id),
            ),
        )
    }

    @After
    fun letGoOfTheDatabase() = core.close()

    private suspend fun proposeRaisedBeds() = core.propose(
        priya.id,
        garden.id,
        NewProposal(
            title = text("Build raised beds"),
            body = text("So everyone can reach the soil"),
            rules = proposalRules(VotingMethod.Consent, emptyList(), 50u),
            closesAt = core.now() + 7 * DAY_MS,
        ),
    )

    // Decisions

    @Test
    fun anObjectionKeepsAProposalFromPassing() = runBlocking {
        val proposal = proposeRaisedBeds()
        assertEquals(Phase.OPEN, proposal.phase)
        assertTrue(proposal.canVote)

        core.vote(priya.id, proposal.id, Ballot.Consent(ConsentChoice.CONSENT), null)
        val seen = core.vote(sam.id, proposal.id, Ballot.Consent(ConsentChoice.OBJECT), "The path is too narrow for my chair")

        val result = assertNotNull(seen.result)
        assertEquals(ProposalStatus.BLOCKED, result.asItStands)
        assertEquals(2u, result.turnout.voted)
        assertEquals(ConsentChoice.OBJECT, (seen.myVote!!.ballot as Ballot.Consent).v1)

        // Withdrawn, the objection stays on the record and no longer blocks.
        val after = core.withdrawObjection(sam.id, proposal.id)
        assertEquals(ProposalStatus.PASSED, after.result!!.asItStands)
        assertTrue(after.myVote!!.objection.withdrawn)
        assertEquals(1, core.proposals(sam.id, garden.id).size)
    }

    @Test
    fun aBallotThatDoesNotFitTheMethodIsATypedException() = runBlocking {
        val proposal = proposeRaisedBeds()
        val e = assertFailsWith<EquallyException.Invalid> {
            core.vote(sam.id, proposal.id, Ballot.Single("beds"), null)
        }
        assertTrue(e.message!!.isNotBlank())
        assertFalse(e.message!!.contains("="), "a sentence, not a field dump: ${e.message}")
        assertEquals(null, core.proposal(sam.id, proposal.id).myVote)
    }

    // Meetings

    @Test
    fun anRsvpToAMeetingPutsItInTheReminderPlan() = runBlocking {
        val start = core.now() + 2 * DAY_MS
        val meeting = core.scheduleMeeting(
            priya.id,
            NewMeeting(
                project = garden.id,
                title = text("Planting day"),
                format = MeetingFormat.IN_PERSON,
                place = text("The allotment gate"),
                times = MeetingTimes(startsAt = start, endsAt = start + 2 * 60 * 60 * 1000, timeZone = "Europe/London"),
            ),
        )
        assertEquals("Planting day", meeting.title.text)

        val answer = core.rsvp(sam.id, meeting.id, Rsvp.GOING)
        assertEquals(Rsvp.GOING, answer.answer)
        assertEquals(null, answer.waitingPosition)
        assertEquals(1u, core.meeting(sam.id, meeting.id).going)
        assertEquals(listOf(meeting.id), core.myMeetings(sam.id).map { it.id })

        val plan = core.reminderPlan(sam.id)
        val forMeeting = plan.filter { it.link.kind == LinkKind.MEETING && it.link.id == meeting.id }
        assertTrue(forMeeting.isNotEmpty(), "reminders: $plan")
        assertTrue(forMeeting.all { it.fireAt < start && it.eventAt == start })
        assertTrue(core.meetingCalendar(sam.id, meeting.id).contains("BEGIN:VEVENT"))
    }

    // Check-ins

    @Test
    fun aCheckInIsWrittenInOneCallAndItsFollowUpComesDue() = runBlocking {
        val yesterday = LocalDate.now().minusDays(1).toString()
        val written = core.writeCheckIn(
            priya.id,
            NewCheckIn(project = garden.id, mood = 4u, note = "Good session, Sam led the planting", followUpOn = yesterday),
        )
        assertEquals(CheckInTier.PROJECT, written.tier)
        assertEquals(4u.toUByte(), written.mood)

        val seen = core.checkInsForProject(sam.id, garden.id)
        assertEquals(listOf(written.id), seen.map { it.id })
        assertNotNull(seen[0].moodLabel)
        assertEquals(listOf(written.id), core.followUpsDue(priya.id).map { it.id })

        assertFailsWith<EquallyException.Invalid> {
            core.writeCheckIn(priya.id, NewCheckIn(project = garden.id, mood = 9u))
        }
        Unit
    }
}
