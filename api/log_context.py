"""Logging set-up: every line carries the request id and tenant of the request it belongs to,
and `LOYALTY_LOG_FORMAT=json` writes one JSON object per line (python-json-logger).

Redaction stays where it was: masked errors are redacted before they are logged
(api/log_redaction.py), whatever the format."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("loyalty_request_id", default=None)
tenant_var: ContextVar[str | None] = ContextVar("loyalty_tenant", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(tenant)s"


def bind_request(request_id: str, tenant: str | None) -> None:
    """Called once the request's id (and its tenant, once authenticated) are known; the
    values follow the request's task and the tasks it starts."""
    request_id_var.set(request_id)
    tenant_var.set(tenant)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.tenant = tenant_var.get()
        return True


def configure_logging(level: str, log_format: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestContextFilter())
    formatter: logging.Formatter
    if log_format == "json":
        formatter = JsonFormatter(
            JSON_FIELDS,
            rename_fields={"levelname": "level", "asctime": "time"},
            datefmt="%Y-%m-%dT%H:%M:%SZ",
        )
    else:
        formatter = logging.Formatter(TEXT_FORMAT)
    formatter.converter = time.gmtime  # every time in UTC, as everywhere else
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
