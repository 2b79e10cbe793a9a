"""The workspace's labels for values the pages show by name (an event kind, a status...).

Every other word of the workspace is a message id where it is used; these tables exist because
the value comes from the database and gettext needs the message marked somewhere (N_).
"""

from __future__ import annotations

from collections.abc import Mapping

from callq.i18n import N_, gettext

CHANNELS = {"voice": N_("by phone"), "email": N_("by email")}
MAIL_FLAGS = {
    "long": N_("Long email"),
    "several_subjects": N_("Several subjects: to split"),
    "over_daily_limit": N_("Over the day's emails: attached"),
    "answer": N_("Reply to our email"),
}

EVENTS = {
    "created": N_("Message received, entry created"),
    "message_attached": N_("New message attached"),
    "client_returned": N_("The client called again"),
    "late_need_noted": N_("Need transcribed"),
    "late_need_classified": N_("Need classified"),
    "clock_paused": N_("Service-level clock paused: waiting for the client"),
    "clock_resumed": N_("Service-level clock resumed"),
    "claimed": N_("Claimed"),
    "released": N_("Given back to the list"),
    "lease_expired": N_("Claim lease over, back in the list"),
    "call_started": N_("Call started"),
    "call_result": N_("Call ended"),
    "outcome": N_("Outcome"),
    "requalified": N_("Requalified"),
    "merged": N_("Merged another entry"),
    "split": N_("Messages moved to entry"),
    "split_from": N_("Split from entry"),
    "renewed": N_("Booked again after it was closed: new entry, from entry"),
    "renewed_as": N_("Booked again by the client: the need continues in entry"),
    "client_reminded": N_("Client reminded"),
    "booking_link_sent": N_("Booking link sent"),
    "appointment_booked": N_("Appointment booked"),
    "appointment_moved": N_("Appointment moved"),
    "appointment_missed": N_("Client missed the appointment; moved to the next slot"),
    "appointment_reassigned": N_("Appointment handed to another agent"),
    "appointment_extended": N_("Appointment extended"),
    "appointment_cancelled": N_("Appointment cancelled"),
    "appointment_unstaffed": N_("No agent free: client warned before the time"),
    "appointment_given_up": N_("Client unreachable at several appointments"),
    "appointment_call": N_("Appointment call"),
    "appointment_done": N_("Appointment finished"),
}

OUTCOMES = {
    "solved": N_("Solved"),
    "documentation": N_("Sent to the documentation"),
    "out_of_scope": N_("Out of scope"),
    "booked": N_("Appointment to book"),
    "no_answer": N_("No answer"),
    "cancelled_by_client": N_("Cancelled by the client"),
    "expired": N_("Closed, no news from the client"),
    "merged": N_("Merged"),
}

# The buttons that record an outcome, in the order the entry page shows them.
ACTIONS = {
    "solved": N_("Solved"),
    "documentation": N_("Send the documentation link"),
    "out_of_scope": N_("Out of scope: \u201csee your IT provider\u201d"),
    "booked": N_("Send a booking link"),
    "no_answer": N_("No answer"),
}

CALL_RESULTS = {
    "answered": N_("Client reached"),
    "no_answer": N_("No answer"),
    "busy": N_("Busy"),
    "voicemail": N_("Voicemail"),
    "failed": N_("Call failed"),
    "agent_unreachable": N_("Your phone did not answer"),
}

STATUSES = {
    "open": N_("Waiting"),
    "waiting": N_("Waiting"),
    "claimed": N_("Claimed"),
    "awaiting_client": N_("Waiting for the client"),
    "booked": N_("Appointment"),
    "closed": N_("Closed"),
}

ACTORS = {
    "system": N_("System"),
    "caller": N_("Caller"),
    "client": N_("Client"),
    "agent": N_("Agent"),
}

REFUSALS = {
    "workspace.refused.attachment": N_("There is no such attachment, or its file is gone."),
    "workspace.refused.hold_one": N_("You already hold entry #%(entry)s: finish or release it "
                                     "first."),
    "workspace.refused.not_open": N_("This entry is no longer in the list."),
    "workspace.refused.no_entry": N_("There is no entry #%(entry)s."),
    "workspace.refused.not_held": N_("You do not (or no longer) hold this entry: take it first."),
    "workspace.refused.stale": N_("The entry changed since this page was shown: reload it."),
    "workspace.refused.held": N_("%(name)s already holds this entry."),
    "workspace.refused.no_number": N_("The caller's number is withheld: it cannot be called "
                                      "back."),
    "workspace.refused.outcome": N_("Unknown outcome: %(outcome)s."),
    "workspace.refused.chapter": N_("Choose a documentation chapter."),
    "workspace.refused.scope": N_("Choose what is out of our scope."),
    "workspace.refused.no_contact": N_("No email or number known for this client: nothing can "
                                       "be sent."),
    "workspace.refused.reason": N_("A reason is required."),
    "workspace.refused.tier": N_("Unknown urgency tier."),
    "workspace.refused.need": N_("State the need."),
    "workspace.refused.merge_self": N_("An entry cannot be merged with itself."),
    "workspace.refused.merge_caller": N_("These two entries do not come from the same client."),
    "workspace.refused.split_choice": N_("Choose messages of this entry."),
    "workspace.refused.split_all": N_("Leave at least one message in the original entry."),
    "workspace.refused.form": N_("Incomplete form: reload the page."),
    "workspace.refused.recording": N_("The recording is not available."),
}


def label(table: Mapping[str, str], value: str, lang: str) -> str:
    """The label of `value` from one of the tables above, in `lang`; unknown values as they are."""
    message = table.get(value)
    return gettext(message, lang) if message else value
