"""cancelCoupon: by the coupon's owner (member token) or the merchant (issue 10)."""

from __future__ import annotations

import strawberry

from api.auth.principal import Kind
from graphql_schema.context import Info
from graphql_schema.errors import UserError, attempt, reader
from graphql_schema.permissions import IsMemberOrMerchant
from graphql_schema.reward_ops import _coupon as coupon_of
from graphql_schema.rewards import Coupon
from graphql_schema.wallet import Wallet
from loyalty.usecases import coupons


@strawberry.type
class CancelCouponPayload:
    coupon: Coupon | None = None
    wallet: Wallet | None = strawberry.field(
        default=None, description="The coupon owner's wallet, with the points back."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CouponMutation:
    @strawberry.mutation(
        permission_classes=[IsMemberOrMerchant],
        description="Cancels an unused coupon; its points go back. Idempotent.",
    )
    async def cancel_coupon(
        self, info: Info, code: str, idempotency_key: str
    ) -> CancelCouponPayload:
        scope = info.context.scope
        member = scope.require_member() if info.context.principal.kind is Kind.MEMBER else None
        audience = None if member is not None else "admin"
        done, errors = await attempt(
            scope.locale,
            lambda: coupons.cancel_coupon(
                scope.deps,
                scope.require_tenant(),
                code=code,
                idempotency_key=idempotency_key,
                member=member,
            ),
            reader(scope, audience),
        )
        if done is None:
            return CancelCouponPayload(user_errors=errors)
        return CancelCouponPayload(
            coupon=await coupon_of(scope, done.redemption),
            wallet=Wallet(_member=done.member, _now=scope.deps.clock.now()),
        )
