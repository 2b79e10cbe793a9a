"""The Flask application factory."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from callq import web_i18n
from callq.runtime import build_runtime, set_current_runtime

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def create_app(
    overrides: dict[str, Any] | None = None,
    *,
    adapters: dict[str, Any] | None = None,
    clock: Callable[[], datetime] | None = None,
    environ: dict[str, str] | None = None,
) -> Flask:
    """Build the app: defaults, then `CALLQ_*` environment, then `overrides`.

    `adapters` replaces outside parts (engine, redis, queue, mailer, calls, twilio_http) and
    `clock` the time source; tests use both, production uses neither.
    """
    kwargs: dict[str, Any] = {"clock": clock} if clock else {}
    runtime = build_runtime(environ, overrides, adapters, **kwargs)
    app = Flask("callq", template_folder=str(TEMPLATES),
                instance_path=str(runtime.settings.instance_path))
    app.config.update(
        SECRET_KEY=runtime.settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=runtime.settings.public_base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.extensions["callq"] = runtime
    set_current_runtime(runtime)
    _register(app)
    web_i18n.install(app, runtime.settings.language)
    _install_errors(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return app


# Each capability's modules: their blueprints are registered, their effect handlers loaded.
MODULES: tuple[str, ...] = (
    "callq.health",
    "callq.notify",
    "webhooks.voice",
    "callq.api",
    "scheduling.reminders",
    "scheduling.views",
    "scheduling.guarantee",
    "scheduling.agent_views",
    "scheduling.feed",
    "callq.accounts",
    "callq.workspace.views",
    "callq.workspace.actions",
    "callq.workspace.cancel",
    "callq.workspace.callback",
    "callq.workspace.reminders",
    "webhooks.bridge_reports",
)


def load_modules() -> list[ModuleType]:
    """Import every capability module (idempotent); worker processes call it too."""
    return [importlib.import_module(name) for name in MODULES]


def _register(app: Flask) -> None:
    for module in load_modules():
        blueprint = getattr(module, "blueprint", None)
        if blueprint is not None:
            app.register_blueprint(blueprint)


def _install_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        # JSON clients get JSON with the reason; pages get Flask's plain page.
        if request.path.startswith(("/api/", "/twilio/", "/healthz")):
            return jsonify(error=exc.name, reason=exc.description), exc.code
        return exc
