"""The planner's labels for values its pages show by name (a link problem, a form error...).

Every other word of the planner's pages is a message id in its template (callq.i18n).
"""

from callq.i18n import N_

# Why a booking form was refused (the `error` of book.html, manage.html, planner/book.html).
FORM_ERRORS = {
    "taken": N_("This time has just been taken. Here are the next free times."),
    "start": N_("Pick a time from the list."),
    "email": N_("This email address is not valid."),
    "phone": N_("This phone number is not valid."),
    "input": N_("This form holds a value that is not valid."),
}

# Why a link cannot be used: a title and what to do about it.
PROBLEMS = {
    "invalid": (N_("This link is not valid"),
                N_("It may have been cut or changed. Use the whole link from the email or text "
                   "message.")),
    "expired": (N_("This link has expired"),
                N_("Booking links are valid for a limited time. Ask support for a new one.")),
    "used": (N_("This link has already been used"),
             N_("An appointment was already booked with it. To change it, use the link in the "
                "confirmation email.")),
    "stale": (N_("This link is out of date"),
              N_("The appointment changed since this email. Use the link in the latest "
                 "message.")),
    "closed": (N_("This appointment can no longer be changed"),
               N_("It was cancelled, or its time has passed.")),
    "unknown": (N_("Appointment not found"), N_("This appointment no longer exists.")),
}

# What a waitlist offer's page says when the slot cannot be taken (scheduling.offers).
OFFER_STATES = {
    "gone": N_("Too late: another client took this slot. You keep your place in the list."),
    "expired": N_("This offer has expired. You keep your place in the list."),
    "too_late": N_("This slot is now too close to be booked. You keep your place in the list."),
    "accepted": N_("You took this slot: the invitation is on its way."),
    "closed": N_("This offer no longer applies to your request."),
    "invalid": N_("This link is not valid. Use the whole link from the email or text message."),
    "unknown": N_("This offer no longer exists."),
}

APPOINTMENT_STATUSES = {
    "booked": N_("booked"),
    "in_call": N_("in call"),
    "done": N_("done"),
    "missed": N_("client unreachable"),
    "cancelled": N_("cancelled"),
}

# Why an appointment cannot be extended (scheduling.extension.CannotExtend.reason).
EXTEND_REFUSALS = {
    "taken": N_("The next slot is taken: book a second appointment."),
    "hours": N_("The appointment reaches the end of appointment hours: book a second "
                "appointment."),
    "not_yours": N_("Only the appointment's agent can extend it."),
    "closed": N_("This appointment is no longer active."),
    "not_started": N_("This appointment has not taken place yet."),
}

LABELS = {"form_errors": FORM_ERRORS, "problems": PROBLEMS,
          "appointment_statuses": APPOINTMENT_STATUSES}
