"""Emails to the support address: read (pure), filed into the waiting room like a voicemail
(R5-R8), and the seeds' email rules (few, short, one subject each)."""
