"""The waiting room's pure core: classification, order, same-need, phone numbers, versions.

Plain functions over frozen dataclasses and enums; nothing here touches Flask, SQLAlchemy,
Redis or Twilio, and time is always an argument (R5-R9).
"""
