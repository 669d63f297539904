// Phones and the real sync server on loopback (`Charity` in Phones.swift):
// a project made on one phone and seen on another; whose a phone is once it
// joins, and why a phone started offline cannot join; staff inviting
// someone new from their own phone.

import Equally
import Foundation
import XCTest

final class SyncTests: PhoneTestCase {
    func testAProjectStartedOnOnePhoneArrivesOnAnother() async throws {
        let charity = try await server()
        // `init` works on the server's database while it serves.
        let priyaInvite = try charity.initialise(organisation: "Riverside Mind", staff: "Priya")
        let samInvite = try charity.invite(by: priyaInvite.personId, name: "Sam", kind: "supported_person")

        let phoneA = try await newPhone("priya")
        let phoneB = try await newPhone("sam")

        let priya = try await phoneA.connect(serverUrl: charity.url, inviteCode: priyaInvite.code)
        XCTAssertEqual(priya.personId, priyaInvite.personId)
        XCTAssertFalse(priya.deviceToken.isEmpty)
        _ = try await phoneA.syncNow()

        let garden = try await phoneA.startProject(
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

        let sam = try await phoneB.connect(serverUrl: charity.url, inviteCode: samInvite.code)
        XCTAssertEqual(sam.personId, samInvite.personId)
        let early = await refusal("the project on Sam's phone before it synced") {
            try await phoneB.project(id: garden.id)
        }
        XCTAssertNotNil(early)
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

        let seen = try await phoneB.project(id: garden.id)
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
        _ = try await phoneB.updatePreferences(person: sam.personId, preferences: polish)
        let missing = await refusal("a project that does not exist") {
            try await phoneB.project(id: "01900000-0000-7000-8000-000000000001")
        }
        guard case .NotFound = missing else { return XCTFail("wrong kind: \(String(describing: missing))") }
        let sentence = missing?.localizedDescription ?? ""
        XCTAssertTrue(sentence.hasPrefix("Nie znaleźliśmy"), sentence)
    }

    // MARK: whose phone it is

    func testJoiningAServerFromAPhoneStartedOfflineIsRefusedAndNothingIsLost() async throws {
        let charity = try await server()
        let priya = try charity.initialise(organisation: "Riverside Mind", staff: "Priya")
        let samInvite = try charity.invite(by: priya.personId, name: "Sam", kind: "supported_person")

        // Sam started his own group on his phone before the charity's invite
        // came, and has been using it.
        let (phone, sam) = try await phoneStartedOffline(by: "Sam", .supportedPerson, group: "Sam's allotment group")
        let allotment = try await phone.startProject(
            project: NewProject(title: text("Allotment"), purpose: text("Grow beans"), joinPolicy: .open))
        _ = try await phone.makeOffer(
            offer: NewOffer(kind: .time, description: text("Saturday mornings"), howMuch: "three hours"))
        let phoneBefore = try await phone.thisPhone()
        let pendingBefore = try await phone.pendingCount()
        XCTAssertGreaterThan(pendingBefore, 0)
        let projectsBefore = try await phone.home().projects.map(\.id)
        XCTAssertEqual(projectsBefore, [allotment.id])

        // Joining the charity's server would leave that work behind: refused.
        let error = await refusal("joining a server from a phone started offline") {
            try await phone.connect(serverUrl: charity.url, inviteCode: samInvite.code)
        }
        guard case .Conflict(let sentence) = error else {
            return XCTFail("wrong kind: \(String(describing: error))")
        }
        XCTAssertTrue(sentence.contains("without a server"), sentence)

        // Nothing on the phone changed, and it is still Sam's.
        let me = try await phone.me()
        XCTAssertEqual(me, sam.id)
        let phoneAfter = try await phone.thisPhone()
        XCTAssertEqual(phoneAfter, phoneBefore)
        XCTAssertEqual(phoneAfter?.started, .offline)
        let pendingAfter = try await phone.pendingCount()
        XCTAssertEqual(pendingAfter, pendingBefore)
        let projectsAfter = try await phone.home().projects.map(\.id)
        XCTAssertEqual(projectsAfter, projectsBefore)
        let kept = try await phone.project(id: allotment.id)
        XCTAssertEqual(kept.title.text, "Allotment")
        let organisation = try await phone.organisation()
        XCTAssertEqual(organisation?.name, "Sam's allotment group")
        let status = try await phone.syncStatus()
        XCTAssertFalse(status.connected)

        // The invite was not used up: the same code works on a fresh phone.
        let fresh = try await newPhone("sam-new")
        let joined = try await fresh.connect(serverUrl: charity.url, inviteCode: samInvite.code)
        XCTAssertEqual(joined.personId, samInvite.personId)
        let freshMe = try await fresh.me()
        XCTAssertEqual(freshMe, samInvite.personId)
        let report = try await fresh.syncNow()
        XCTAssertEqual(report.rejected, 0)
        let charityName = try await fresh.organisation()
        XCTAssertEqual(charityName?.name, "Riverside Mind")
    }

    func testAJoinedPhoneActsAsThePersonItJoinedAs() async throws {
        let charity = try await server()
        let priyaInvite = try charity.initialise(organisation: "Riverside Mind", staff: "Priya")
        let samInvite = try charity.invite(by: priyaInvite.personId, name: "Sam", kind: "supported_person")
        let phone = try await newPhone("sam")
        let nobodysYet = try await phone.thisPhone()
        XCTAssertNil(nobodysYet)

        _ = try await phone.connect(serverUrl: charity.url, inviteCode: samInvite.code)
        _ = try await phone.syncNow()
        let me = try await phone.me()
        XCTAssertEqual(me, samInvite.personId)
        let whose = try await phone.thisPhone()
        let thisPhone = try XCTUnwrap(whose)
        XCTAssertEqual(thisPhone.personId, samInvite.personId)
        XCTAssertEqual(thisPhone.started, .joined)
        let home = try await phone.home()
        XCTAssertEqual(home.name, "Sam")

        // On the charity's server, new people come with an invite from
        // staff: this phone cannot add anyone, or start a group of its own.
        let pendingBefore = try await phone.pendingCount()
        let adding = await refusal("adding someone on a joined phone") {
            try await phone.addPerson(person: newPerson("Jo", .carer, on: phone))
        }
        guard case .Conflict(let why) = adding else {
            return XCTFail("wrong kind: \(String(describing: adding))")
        }
        XCTAssertTrue(why.contains("invite"), why)
        let starting = await refusal("starting a group on a joined phone") {
            try await phone.startOffline(organisationName: "Another", me: newPerson("Sam", .supportedPerson, on: phone))
        }
        guard case .Conflict = starting else { return XCTFail("wrong kind: \(String(describing: starting))") }
        // Nor can it change Priya's preferences: Sam does not support her.
        let usual = phone.defaultPreferences()
        let priyas = await refusal("Sam's phone changing Priya's preferences") {
            try await phone.updatePreferences(person: priyaInvite.personId, preferences: usual)
        }
        guard case .NotAllowed = priyas else { return XCTFail("wrong kind: \(String(describing: priyas))") }
        let pendingAfter = try await phone.pendingCount()
        XCTAssertEqual(pendingAfter, pendingBefore, "nothing refused was queued")

        // Sam's own changes go through, as his, with no rejection.
        let project = try await phone.startProject(
            project: NewProject(title: text("Bike repair club"), purpose: text("Fix bikes together"), joinPolicy: .open))
        let offer = try await phone.makeOffer(
            offer: NewOffer(kind: .skill, description: text("I can true a wheel"), tags: ["bikes"]))
        XCTAssertEqual(offer.personId, samInvite.personId)
        _ = try await phone.updatePreferences(person: samInvite.personId, preferences: usual)
        let report = try await phone.syncNow()
        XCTAssertGreaterThan(report.pushed, 0)
        XCTAssertEqual(report.rejected, 0)
        let status = try await phone.syncStatus()
        XCTAssertEqual(status.pending, 0)
        XCTAssertTrue(status.rejected.isEmpty)

        // And they reach Priya's phone as Sam's.
        let priya = try await phoneJoined(priyaInvite, as: "priya")
        let seen = try await priya.project(id: project.id)
        XCTAssertEqual(seen.title.text, "Bike repair club")
        let offers = try await priya.offersOf(person: samInvite.personId)
        XCTAssertEqual(offers.map(\.id), [offer.id])
        XCTAssertEqual(offers.first?.personName, "Sam")
    }

    func testStaffInviteSomeoneNewFromTheirPhone() async throws {
        let charity = try await server()
        let priyaInvite = try charity.initialise(organisation: "Riverside Mind", staff: "Priya")
        let priya = try await phoneJoined(priyaInvite, as: "priya")

        // Priya invites Marta from her phone: a code to read out, and a QR
        // code to scan.
        let invitation = try await priya.invitePerson(name: "Marta", kind: .supportedPerson)
        XCTAssertFalse(invitation.code.isEmpty)
        XCTAssertGreaterThan(invitation.expiresAt, priya.now())
        let side = Int(invitation.qr.width)
        XCTAssertGreaterThanOrEqual(side, 21, "a QR code is at least 21 squares a side")
        XCTAssertEqual(invitation.qr.dark.count, side * side)
        XCTAssertTrue(invitation.qr.dark.contains(true) && invitation.qr.dark.contains(false))

        // Marta's new phone joins with it, and is hers.
        let marta = try await newPhone("marta")
        let joined = try await marta.connect(serverUrl: charity.url, inviteCode: invitation.code)
        XCTAssertEqual(joined.personId, invitation.personId)
        let report = try await marta.syncNow()
        XCTAssertEqual(report.rejected, 0)
        let me = try await marta.me()
        XCTAssertEqual(me, invitation.personId)
        let home = try await marta.home()
        XCTAssertEqual(home.name, "Marta")

        // The code was for one phone only.
        let another = try await newPhone("someone")
        let reused = await refusal("a used invite code") {
            try await another.connect(serverUrl: charity.url, inviteCode: invitation.code)
        }
        guard case .Invalid = reused else { return XCTFail("wrong kind: \(String(describing: reused))") }
        let stillNobodys = try await another.thisPhone()
        XCTAssertNil(stillNobodys, "a refused code leaves the phone as it was")

        // Someone who is not staff cannot invite; the server says no.
        let samInvite = try charity.invite(by: priyaInvite.personId, name: "Sam", kind: "supported_person")
        let sam = try await phoneJoined(samInvite, as: "sam")
        let notStaff = await refusal("Sam inviting someone") {
            try await sam.invitePerson(name: "Someone", kind: .volunteer)
        }
        guard case .NotAllowed = notStaff else { return XCTFail("wrong kind: \(String(describing: notStaff))") }
        // A phone with no server has nobody to ask for a code.
        let (offline, _) = try await phoneStartedOffline(by: "Alex", .staff)
        let noServer = await refusal("inviting from a phone started offline") {
            try await offline.invitePerson(name: "Someone", kind: .volunteer)
        }
        guard case .Conflict = noServer else { return XCTFail("wrong kind: \(String(describing: noServer))") }
    }
}
