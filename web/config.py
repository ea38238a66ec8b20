"""The site's settings: the project's one table (`config.settings`) in ``app.config``.

`load(app, test_config)` puts every setting of `config.settings.Settings` into
``app.config`` under its name in upper case (``MAX_PAGE``, ``SECRET_KEY``,
``RATELIMIT_APPLICATION``…): the defaults, then the environment's ``REPORTS_<NAME>``
overrides (``REPORTS_INDEX_PATH=/srv/index``), then the test's overrides. Nothing
else in web/ invents a number: views read ``current_app.config``. The engine and the
limits search/ enforces reach it as one `Settings` (`search_settings`), given to the
engine's service (web/service.py) and to the request parsers.
"""
from __future__ import annotations

import dataclasses
import os
from urllib.parse import urlsplit

from config.settings import DEFAULTS, ENV_PREFIX, NAMES, Settings, from_environment, parse_value


def search_settings(config) -> Settings:
    """The app's settings as the one `Settings` search/ receives."""
    return dataclasses.replace(DEFAULTS, **{name: config[name.upper()] for name in NAMES
                                            if name.upper() in config and name != "trusted_hosts"})


def env_value(name: str) -> object:
    """One setting's value from its ``REPORTS_<NAME>`` variable or its default (for
    web/gunicorn.conf.py, which reads the table before any app exists)."""
    default = getattr(DEFAULTS, name.lower())
    raw = os.environ.get(ENV_PREFIX + name)
    return default if raw is None else parse_value(raw, default)


def trusted_hosts(config) -> list[str]:
    """TRUSTED_HOSTS as the list Flask wants; when empty, PUBLIC_URL's host (without one,
    BIND's, unless it is a wildcard address), localhost and 127.0.0.1."""
    value = config["TRUSTED_HOSTS"]
    hosts = [h.strip() for h in value.split(",")] if isinstance(value, str) else list(value or [])
    hosts = [h for h in hosts if h]
    if not hosts:
        public = urlsplit(str(config["PUBLIC_URL"])).hostname if config["PUBLIC_URL"] else None
        bound = urlsplit("//" + str(config["BIND"])).hostname
        if public is None and bound not in ("0.0.0.0", "::"):
            public = bound
        hosts = [h for h in (public, "localhost", "127.0.0.1") if h]
    return list(dict.fromkeys(hosts))


def load(app, test_config: dict | None = None) -> None:
    """Fill ``app.config``: defaults, then ``REPORTS_*`` variables, then test_config."""
    try:
        settings = from_environment()
    except ValueError as error:
        raise RuntimeError(str(error)) from None
    for name in NAMES:
        app.config[name.upper()] = getattr(settings, name)
    if test_config:
        app.config.update(test_config)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
