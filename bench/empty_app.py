"""The baseline: an empty Flask route, served by the same gunicorn setup as callq."""

from flask import Flask

app = Flask(__name__)


@app.route("/healthz")
@app.post("/twilio/voice")
@app.post("/twilio/gather")
def empty() -> str:
    return ""
