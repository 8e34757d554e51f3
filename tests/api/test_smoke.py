from tests.api.conftest import WALLET, Api, TenantCreds, enroll, give_points


async def test_member_reads_own_wallet_after_adjustment(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 120, "k1")
    # when
    body = await api.gql(WALLET, token=acme.member_token(api, "c1"))
    # then
    wallet = body["data"]["me"]["wallet"]
    assert (wallet["balance"], wallet["pendingBalance"], wallet["lifetimeEarned"]) == (120, 0, 120)
    assert wallet["transactions"]["edges"][0]["node"] == {
        "type": "ADJUST",
        "points": 120,
        "balanceAfter": 120,
        "reason": "test",
        "orderId": None,
    }
