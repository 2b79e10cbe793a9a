"""Telephone calls as a core service: what an incoming call hears (greeting), and bridged
agent-then-client calls (callbacks R10, appointments R14) with the reports that settle them.

The telephony edge (webhooks/) only parses Twilio's requests, checks signatures, builds TwiML
and calls these services.
"""
