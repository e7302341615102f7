"""What of a channel's ``conf`` the API shows: everything but keys that look like secrets."""

from typing import Any

SECRET_MARKERS = ("password", "secret", "token", "key")


def public_conf(conf: Any) -> Any:
    """``conf`` without keys that look like secrets (password, secret, token, key), at any depth."""
    if isinstance(conf, dict):
        return {
            key: public_conf(value)
            for key, value in conf.items()
            if not any(marker in str(key).lower() for marker in SECRET_MARKERS)
        }
    if isinstance(conf, list):
        return [public_conf(value) for value in conf]
    return conf
