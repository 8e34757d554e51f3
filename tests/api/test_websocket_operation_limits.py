"""Operations over a WebSocket meet the HTTP endpoint's limits, each refused with an `error`
message that is coded and localized (never a bare `complete`)."""

from __future__ import annotations

import pytest

from api.http_transport import MAX_JSON_BODY
from api.rate_limit import RATES
from graphql_schema.cost import MAX_COST
from graphql_schema.schema import MAX_ALIASES, MAX_DEPTH
from loyalty.i18n import translate
from tests.api.conftest import Api, TenantCreds
from tests.api.graphql_ws import SocketClosed, graphql_ws

ME = "{ me { externalId } }"


def member(api: Api, acme: TenantCreds, locale: str = "en") -> dict[str, str]:
    token = acme.member_token(api, "c1")
    return {"authorization": f"Bearer {token}", "accept-language": locale}


async def test_the_members_rate_limit_counts_socket_operations(api: Api, acme: TenantCreds) -> None:
    # given a member's socket, and time standing still (no refill)
    burst = int(RATES["member"].burst)
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(member(api, acme, "ar"))
        # when the app sends one query more than the burst allows
        answers = []
        for index in range(burst + 1):
            await ws.subscribe(str(index), ME)
            answers.append(await ws.receive())
            if answers[-1]["type"] == "next":
                assert await ws.receive() == {"id": str(index), "type": "complete"}
        # then the burst ran and the extra one is refused, in Arabic, with when to retry
        over = answers.pop()
        # ... and HTTP shares the same budget
        http = await api.client.post(
            "/graphql",
            json={"query": ME},
            headers={"Authorization": f"Bearer {acme.member_token(api, 'c1')}"},
        )
    assert [a["payload"]["data"]["me"] for a in answers] == [{"externalId": "c1"}] * burst
    assert over == {
        "id": str(burst),
        "type": "error",
        "payload": [
            {
                "message": translate("error.RATE_LIMITED", "ar"),
                "extensions": {"code": "RATE_LIMITED", "retryAfter": 1},
            }
        ],
    }
    assert http.status_code == 429


async def test_an_operation_larger_than_the_body_cap_is_refused_not_run(
    api: Api, acme: TenantCreds
) -> None:
    # given a subscribe frame just over the HTTP body cap (its size is in a variable)
    padding = "x" * MAX_JSON_BODY
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(member(api, acme))
        # when
        await ws.subscribe("big", "query($pad: String) { me { externalId } }", {"pad": padding})
        refusal = await ws.receive()
        # then it gets an error for its id, and the socket still serves normal operations
        await ws.subscribe("small", ME)
        after = await ws.receive()
    assert refusal == {
        "id": "big",
        "type": "error",
        "payload": [
            {
                "message": translate("error.PAYLOAD_TOO_LARGE", "en"),
                "extensions": {"code": "PAYLOAD_TOO_LARGE"},
            }
        ],
    }
    assert after["payload"]["data"] == {"me": {"externalId": "c1"}}


async def test_any_other_oversized_frame_closes_the_socket(api: Api, acme: TenantCreds) -> None:
    # given
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(member(api, acme))
        # when a ping carries a payload over the cap
        await ws.send({"type": "ping", "payload": {"junk": "x" * MAX_JSON_BODY}})
        # then the socket closes as RFC 6455 says for a message too big to process
        with pytest.raises(SocketClosed) as closed:
            await ws.receive()
    assert (closed.value.code, closed.value.reason) == (1009, "Message too big")


ALIASES = "{ " + " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1)) + " }"
DEEP = "{ me { " + "a { " * (MAX_DEPTH + 1) + "b" + " }" * (MAX_DEPTH + 1) + " } }"
# Every event runs the selection: five pages of 100 transactions cost 1 + 5 * (1 + 100 * 2).
COSTLY = (
    "subscription { walletUpdated { "
    + " ".join(f"p{i}: transactions(first: 100) {{ edges {{ node {{ id }} }} }}" for i in range(5))
    + " } }"
)


@pytest.mark.parametrize(
    ("query", "code", "params", "extensions"),
    [
        pytest.param(
            ALIASES,
            "TOO_MANY_ALIASES",
            {"count": MAX_ALIASES + 1, "max": MAX_ALIASES},
            {"limit": MAX_ALIASES},
            id="aliases",
        ),
        pytest.param(DEEP, "QUERY_TOO_DEEP", {"max": MAX_DEPTH}, {"limit": MAX_DEPTH}, id="depth"),
        pytest.param(
            COSTLY,
            "QUERY_TOO_COMPLEX",
            {"requested": 1006, "limit": MAX_COST},
            {"cost": {"requested": 1006, "limit": MAX_COST}},
            id="cost",
        ),
    ],
)
async def test_query_limits_apply_over_the_socket_coded_and_localized(
    api: Api,
    acme: TenantCreds,
    query: str,
    code: str,
    params: dict[str, int],
    extensions: dict[str, object],
) -> None:
    # given an Arabic-speaking member's socket
    async with graphql_ws(api.app) as ws:
        await ws.connection_init(member(api, acme, "ar"))
        # when
        await ws.subscribe("1", query)
        answer = await ws.receive()
        # then one `error` message carries the coded refusal (nothing ran, nothing follows)
        assert await ws.nothing_within(0.05)
    assert answer["type"] == "error" and answer["id"] == "1"
    coded = [e for e in answer["payload"] if e.get("extensions", {}).get("code") == code]
    assert len(coded) == 1, answer
    assert coded[0]["message"] == translate(f"error.{code}", "ar", **params)
    assert coded[0]["extensions"] == {"code": code, **extensions}
