"""Errors from the Kubernetes API, with the reason the server gave."""

from __future__ import annotations

from typing import Any

from pilothouse.errors import KubeError


class ApiError(KubeError):
    """The API server answered with a failure `Status`."""

    def __init__(self, code: int, reason: str, message: str, status: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.status = status or {}

    @property
    def not_found(self) -> bool:
        return self.code == 404 or self.reason == "NotFound"

    @property
    def conflict(self) -> bool:
        return self.code == 409 and self.reason != "AlreadyExists"

    @property
    def already_exists(self) -> bool:
        return self.reason == "AlreadyExists"


def is_not_found(err: BaseException) -> bool:
    """True for an API 'not found' answer."""
    return isinstance(err, ApiError) and err.not_found
