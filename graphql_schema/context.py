"""The typed request context and the one Info alias every field uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry

from api.auth.principal import Principal
from api.events import WalletBroker
from resolvers.scope import RequestScope


@dataclass
class Context:
    scope: RequestScope
    principal: Principal
    broker: WalletBroker
    request: Any = None
    response: Any = None
    public_url: str = ""  # base of the icon URLs, without a trailing slash
    # graphql-transport-ws: the connection_init payload (Strawberry sets it).
    connection_params: dict[str, object] | None = None


Info = strawberry.Info[Context, None]
