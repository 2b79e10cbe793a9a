"""The agents' workspace (R10 on R5-R9, R11): claims, outcomes, requalification, reminders,
and the pages agents work the waiting room from."""
