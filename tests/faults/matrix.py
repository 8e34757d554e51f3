"""Runs one scenario clean, then with a fault at call k, retries it, and says what went wrong.

Every run starts from a copy of the scenario's setup documents in a fresh database. After the
faulted call and its retry (same input, no fault, as another server instance would serve it),
the run is held against the clean run:

- each wallet equals the sum of its ledger (the `ledger` collection together with the wallet's
  journal, which the product copies to the ledger lazily), with sequence numbers 1..seq, held
  points included;
- each operation took effect exactly once: the ledger, and every other document the mutation
  wrote, is what the clean run left;
- nothing is left stuck: no RESERVED redemption, no idempotency claim without a result, no
  activity cap counter above the activities that hold it;
- the retry answers what the clean run answered (and so does the faulted call if it answered).
"""

from __future__ import annotations

import dataclasses
import enum
import os
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId

from api.events import WalletBroker
from imaging.pillow_images import PillowImages
from loyalty.clock import FrozenClock
from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases.ledger_sync import sync_lagging_ledgers
from mongo.client import Database, open_database
from mongo.indexes import ensure_indexes
from mongo.store import build_deps
from tests.faults.scenarios import SLUG, Given, Scenario
from tests.faults.store_faults import Call, Fault, FaultPlan, FaultyDatabase

TEST_URI = os.environ.get("LOYALTY_TEST_MONGODB_URI", "memory://")

Docs = dict[str, list[dict[str, Any]]]

# Wallet bookkeeping a retry may legitimately leave different from a clean run, once the
# ledger sweeper has run (the journal is then empty and synced, as after a clean run): only
# `batch`, the mark of the bulk write that last wrote the wallet (mongo/wallet_batches.py),
# which is new for every attempt by design.
WALLET_BOOKKEEPING: frozenset[str] = frozenset({"batch"})
# `recent_ops` never leaves the process: members read to answer with leave it out
# (mongo/members.py FOR_READING), a member from the write path carries it.
IGNORED_ANSWER_FIELDS = {"replayed", "recent_ops"}


async def _fresh_database() -> Database:
    database = open_database(TEST_URI, f"loyalty_faults_{uuid.uuid4().hex[:12]}")
    await ensure_indexes(database.db, expire=False)  # the frozen clock is not the server's
    return database


async def _drop(database: Database) -> None:
    if not database.is_memory:
        await database.client.drop_database(database.db.name)
    await database.close()


async def _dump(db: Any) -> Docs:
    names = sorted(await db.list_collection_names())
    return {name: await db[name].find({}).to_list(None) for name in names}


def _deps(db: Any, clock: FrozenClock) -> Deps:
    return build_deps(
        Database(client=None, db=db, is_memory=True), clock, WalletBroker(), images=PillowImages()
    )


# --- normalising answers and documents -----------------------------------------------------


def _names(docs: Docs) -> dict[str, str]:
    """Random ids a run generated, replaced by what they stand for, so that two runs compare."""
    names = {str(m["_id"]): f"<member {m['external_id']}>" for m in docs.get("members", [])}
    names |= {m["referral_code"]: f"<code {m['external_id']}>" for m in docs.get("members", [])}
    for doc in docs.get("redemptions", []):
        label = _replace(str(doc["op_id"]), names)
        names[str(doc["_id"]).split(":", 1)[1]] = f"<redemption {label}>"
        names[str(doc["coupon_code"])] = f"<coupon {label}>"
    return names


def _replace(text: str, names: Mapping[str, str]) -> str:
    for raw, label in names.items():
        if raw in text:
            text = text.replace(raw, label)
    return text


def normalize(value: Any, names: Mapping[str, str], drop: frozenset[str] = frozenset()) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {
            _replace(str(k), names): normalize(v, names, drop)
            for k, v in value.items()
            if k not in drop
        }
    if isinstance(value, list | tuple):
        return [normalize(v, names, drop) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, ObjectId | str):
        return _replace(str(value), names)
    return value


def _ledger(docs: Docs) -> dict[str, list[dict[str, Any]]]:
    """Each member's entries by seq: the ledger collection and the journal not yet copied."""
    by_id = {doc["_id"]: doc for doc in docs.get("ledger", [])}
    for member in docs.get("members", []):
        for doc in (member.get("wallet") or {}).get("journal", []):
            by_id.setdefault(doc["_id"], doc)
    ledgers: dict[str, list[dict[str, Any]]] = {}
    for doc in by_id.values():
        ledgers.setdefault(doc["member_id"], []).append(doc)
    return {member: sorted(entries, key=lambda e: e["seq"]) for member, entries in ledgers.items()}


def _without(doc: dict[str, Any], collection: str) -> dict[str, Any]:
    wallet = doc.get("wallet")
    if collection != "members" or not isinstance(wallet, dict):
        return doc
    return {**doc, "wallet": {k: v for k, v in wallet.items() if k not in WALLET_BOOKKEEPING}}


def state(docs: Docs) -> dict[str, list[Any]]:
    """Every document, normalised, each collection sorted; the ledger as members see it."""
    names = _names(docs)
    ledger = _ledger(docs)
    result: dict[str, list[Any]] = {}
    for collection, collection_docs in docs.items():
        if collection == "ledger":
            collection_docs = [e for entries in ledger.values() for e in entries]
        normalized = [normalize(_without(d, collection), names) for d in collection_docs]
        result[collection] = sorted(normalized, key=repr)
    return result


# --- the checks -----------------------------------------------------------------------------


def invariant_problems(docs: Docs) -> list[str]:
    problems = []
    names = _names(docs)
    ledger = _ledger(docs)
    for member in docs.get("members", []):
        who = names[str(member["_id"])]
        wallet = member.get("wallet") or {}
        entries = ledger.get(str(member["_id"]), [])
        seqs = [e["seq"] for e in entries]
        if seqs != list(range(1, wallet.get("seq", 0) + 1)):
            problems.append(f"{who}: ledger seqs {seqs} but wallet seq {wallet.get('seq', 0)}")
        balance = sum(e["balance_delta"] for e in entries)
        pending = sum(e["pending_delta"] for e in entries)
        if (balance, pending) != (wallet.get("balance", 0), wallet.get("pending", 0)):
            problems.append(
                f"{who}: wallet {wallet.get('balance')}+{wallet.get('pending')} pending "
                f"but ledger sums to {balance}+{pending}"
            )
        # Checkout with points: what is held equals the ledger's HOLD, CAPTURE and RELEASE
        # entries, and the holds the wallet keeps.
        held = sum(e.get("held_delta", 0) for e in entries)
        holds = sum(hold["points"] for hold in wallet.get("holds", []))
        if held != wallet.get("held", 0) or holds != wallet.get("held", 0):
            problems.append(
                f"{who}: wallet holds {wallet.get('held', 0)} (holds {holds}) "
                f"but ledger sums to {held}"
            )
    for doc in docs.get("redemptions", []):
        if doc["status"] == "RESERVED":
            problems.append(f"redemption {_replace(doc['op_id'], names)} left RESERVED")
    for doc in docs.get("idempotency", []):
        if doc.get("result") is None:
            problems.append(f"idempotency claim {_replace(doc['_id'], names)} left without result")
    holders = Counter(
        f"{a['tenant']}:{a['cap_counter']}"
        for a in docs.get("activities", [])
        if a.get("cap_counter")
    )
    for cap in docs.get("activity_caps", []):
        if cap["count"] != holders[cap["_id"]]:
            problems.append(
                f"cap {_replace(cap['_id'], names)} counts {cap['count']} "
                f"for {holders[cap['_id']]} activities"
            )
    return problems


def _first_difference(got: Any, want: Any, path: str = "") -> str:
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want), key=str):
            if got.get(key, "<absent>") != want.get(key, "<absent>"):
                return _first_difference(
                    got.get(key, "<absent>"), want.get(key, "<absent>"), f"{path}.{key}"
                )
    if isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            return f"{path}: {len(got)} items, clean run {len(want)}"
        for index, (g, w) in enumerate(zip(got, want, strict=True)):
            if g != w:
                return _first_difference(g, w, f"{path}[{index}]")
    return f"{path}: {got!r}, clean run {want!r}"


def ledger_problems(got: Docs, want: Docs) -> list[str]:
    """Exactly once, said per operation: which op ids ran a different number of times."""
    problems = []
    got_names, want_names = _names(got), _names(want)
    got_ops = Counter(
        _replace(e["op_id"], got_names) + " @ " + got_names[e["member_id"]]
        for entries in _ledger(got).values()
        for e in entries
    )
    want_ops = Counter(
        _replace(e["op_id"], want_names) + " @ " + want_names[e["member_id"]]
        for entries in _ledger(want).values()
        for e in entries
    )
    for op in sorted(set(got_ops) | set(want_ops)):
        if got_ops[op] != want_ops[op]:
            problems.append(f"op {op}: {got_ops[op]} ledger entries, clean run {want_ops[op]}")
    return problems


def state_problems(got: Docs, want: Docs) -> list[str]:
    got_state, want_state = state(got), state(want)
    return [
        "state differs"
        + _first_difference(got_state.get(name, []), want_state.get(name, []), f" in {name}")
        for name in sorted(set(got_state) | set(want_state))
        if got_state.get(name, []) != want_state.get(name, [])
    ]


# --- runs -----------------------------------------------------------------------------------


@dataclass
class Baseline:
    scenario: Scenario
    setup_docs: Docs
    now: datetime
    calls: list[Call]
    answer: Any
    final_docs: Docs
    problems: list[str] = field(default_factory=list)

    def fault_points(self, fault: Fault) -> list[int]:
        return [call.number for call in self.calls if call.allows(fault)]


@dataclass
class Run:
    docs: Docs
    first: Any
    first_error: BaseException | None
    retry: Any
    retry_error: BaseException | None
    fired: Call | None
    calls: list[Call]  # what the first (possibly faulted) call made


async def _run(scenario: Scenario, setup_docs: Docs, now: datetime, plan: FaultPlan) -> Run:
    database = await _fresh_database()
    try:
        for name, docs in setup_docs.items():
            if docs:
                await database.db[name].insert_many(docs)
        faulty = FaultyDatabase(database.db, plan)
        clock = FrozenClock(now)
        deps = _deps(faulty, clock)
        tenant, given = await _request(deps, scenario, plan)
        plan.enabled = True
        first: Any = None
        first_error: BaseException | None = None
        try:
            first = await scenario.call(deps, tenant, given)
        except Exception as exc:
            first_error = exc
        fired, plan.fault, calls = plan.fired, None, list(plan.calls)
        retry_deps = _deps(faulty, clock)  # the retry reaches another server instance
        retry_tenant, _ = await _request(retry_deps, scenario, plan, given)
        retry: Any = None
        retry_error: BaseException | None = None
        try:
            retry = await scenario.call(retry_deps, retry_tenant, given)
        except Exception as exc:
            retry_error = exc
        # The scheduler's ledger sweeper finishes any ledger copy a fault left behind (a retry
        # that no longer touches the wallet, such as settlement's, leaves it to the sweeper).
        plan.enabled = False
        await sync_lagging_ledgers(retry_deps, retry_tenant.slug)
        return Run(await _dump(database.db), first, first_error, retry, retry_error, fired, calls)
    finally:
        await _drop(database)


async def _request(
    deps: Deps, scenario: Scenario, plan: FaultPlan, given: Given | None = None
) -> tuple[Tenant, Given]:
    """What the edge knows before the mutation runs (outside the count)."""
    plan.enabled = False
    try:
        tenant = await deps.tenants.get(SLUG)
        assert tenant is not None
        return tenant, given if given is not None else await scenario.prepare(deps, tenant)
    finally:
        plan.enabled = True


def _answer(value: Any, docs: Docs) -> Any:
    return normalize(value, _names(docs), frozenset(IGNORED_ANSWER_FIELDS))


async def baseline(scenario: Scenario) -> Baseline:
    database = await _fresh_database()
    try:
        clock = FrozenClock()
        await scenario.setup(_deps(database.db, clock), clock)
        setup_docs = await _dump(database.db)
    finally:
        await _drop(database)
    plan = FaultPlan()
    run = await _run(scenario, setup_docs, clock.now(), plan)
    if run.first_error is not None:
        raise AssertionError(f"{scenario.name} fails without faults") from run.first_error
    answer = _answer(run.first, run.docs)
    base = Baseline(scenario, setup_docs, clock.now(), run.calls, answer, run.docs)
    # A clean retry is a replay: it must answer the same and change nothing.
    base.problems = _compare(base, run, replay_only=True)
    return base


def _compare(base: Baseline, run: Run, *, replay_only: bool = False) -> list[str]:
    problems = []
    if run.retry_error is not None:
        problems.append(f"retry raised {_describe(run.retry_error)}")
    elif _answer(run.retry, run.docs) != base.answer:
        problems.append(
            "retry answered differently"
            + _first_difference(_answer(run.retry, run.docs), base.answer, ":")
        )
    if not replay_only:
        if run.first_error is None and _answer(run.first, run.docs) != base.answer:
            problems.append(
                "faulted call answered differently"
                + _first_difference(_answer(run.first, run.docs), base.answer, ":")
            )
        if isinstance(run.first_error, DomainError) and run.first_error.code not in RETRYABLE:
            problems.append(f"faulted call answered {run.first_error.code.value}, not a retry")
    problems += invariant_problems(run.docs)
    problems += ledger_problems(run.docs, base.final_docs)
    problems += state_problems(run.docs, base.final_docs)
    return problems


RETRYABLE = frozenset({ErrorCode.IN_PROGRESS})


def _describe(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return f"DomainError({error.code.value})"
    return f"{type(error).__name__}({str(error)[:120]})"


async def fault_point(base: Baseline, fault: Fault, k: int) -> list[str]:
    plan = FaultPlan(fault=fault, fault_at=k)
    run = await _run(base.scenario, base.setup_docs, base.now, plan)
    if run.fired is None or run.fired.number != k:
        return [f"fault at call {k} never fired (the clean run made {len(base.calls)} calls)"]
    return _compare(base, run)


@dataclass
class Tally:
    """What the run exercised, for the terminal summary."""

    points: set[tuple[str, int, Fault]] = field(default_factory=set)
    failing: set[tuple[str, int, Fault]] = field(default_factory=set)

    def line(self) -> str:
        operations = {name for name, _, _ in self.points}
        calls = {(name, k) for name, k, _ in self.points}
        return (
            f"fault points exercised: {len(self.points)} "
            f"((operation, call) pairs: {len(calls)}, operations: {len(operations)}); "
            f"failing: {len(self.failing)}"
        )


TALLY = Tally()


async def exercise(scenario: Scenario, fault: Fault) -> list[str]:
    """Every call of a clean run, failed with `fault` in turn; one line per failing point."""
    base = await baseline(scenario)
    failures = [f"clean replay: {problem}" for problem in base.problems]
    for k in base.fault_points(fault):
        problems = await fault_point(base, fault, k)
        TALLY.points.add((scenario.name, k, fault))
        if problems:
            TALLY.failing.add((scenario.name, k, fault))
            failures.append(f"{fault.value} at {base.calls[k - 1]}: " + "; ".join(problems))
    return failures
