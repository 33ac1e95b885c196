from __future__ import annotations

import copy
import json
import threading
import time
import urllib.parse
from datetime import timedelta

import pytest

from application.payments.ports import SquareConnectionPolicy
from application.payments.use_cases import (
    CheckSellerCanTakePayments,
    ChooseSquareLocation,
    CompleteSquareConnection,
    CompleteSquareConnectionCommand,
    DisconnectSquare,
    GetMySquareConnection,
    GetSellerSquareCredentials,
    HandleSquareWebhook,
    ImportSquareConnection,
    RefreshExpiringTokens,
    RefreshReport,
    StartSquareConnection,
    WebhookOutcome,
)
from domain.payments.connection import ConnectionStatus, SquareLocation
from domain.payments.errors import (
    InvalidOAuthState,
    InvalidWebhookSignature,
    MalformedWebhook,
    SquareAuthorizationDenied,
    SquareNotConnected,
    UnknownLocation,
)
from domain.shared.access import Actor, Role
from domain.shared.errors import PaymentGatewayUnavailable, SellerCannotTakePayments
from domain.shared.money import Money
from tests.fakes import FakeClock, FakesModule

SELLER = Actor("seller-1", frozenset({Role.SELLER}))
OTHER_SELLER = Actor("seller-2", frozenset({Role.SELLER}))
POLICY = SquareConnectionPolicy(authorization_ttl_seconds=600, refresh_margin_seconds=7 * 86_400)


@pytest.fixture
def f() -> FakesModule:
    return FakesModule(FakeClock())


def start(f: FakesModule, actor: Actor = SELLER) -> str:
    url = StartSquareConnection(f.pending_authorizations, f.square_oauth, POLICY, f.clock).execute(actor)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["state"]


def complete(f: FakesModule, **command) -> object:
    return CompleteSquareConnection(f.pending_authorizations, f.square_oauth, f.square_merchant_api,
                                    f.square_connections, f.token_cipher, f.money_in_flight, f.clock) \
        .execute(CompleteSquareConnectionCommand(**command))


def connect(f: FakesModule, actor: Actor = SELLER, merchant_id: str = "MERCHANT-1"):
    state = start(f, actor)
    return complete(f, state=state, code=f.square_oauth.approve(state, merchant_id))


def credentials(f: FakesModule) -> GetSellerSquareCredentials:
    return GetSellerSquareCredentials(f.square_connections, f.square_oauth, f.token_cipher, POLICY, f.clock)


def webhooks(f: FakesModule) -> HandleSquareWebhook:
    return HandleSquareWebhook(f.webhook_signatures, f.webhook_events, f.square_connections, f.payment_events,
                               f.clock)


# -- connecting --------------------------------------------------------------------------------

def test_start_binds_a_fresh_state_and_a_pkce_verifier_to_the_seller(f):
    first, second = start(f), start(f)
    assert first != second
    pending = f.pending_authorizations.pending[first]
    assert pending.seller_id == SELLER.user_id
    assert 43 <= len(pending.code_verifier) <= 128
    assert pending.expires_at == f.clock.now() + timedelta(minutes=10)
    assert f.square_oauth.challenges[first] == pending.code_verifier


def test_completing_stores_only_encrypted_tokens_and_picks_the_only_location(f):
    connection = connect(f)
    stored = f.square_connections.connections[SELLER.user_id]
    assert stored.merchant_id == "MERCHANT-1"
    assert stored.access_token_encrypted.startswith("enc:")
    assert f.token_cipher.decrypt(stored.access_token_encrypted) in f.square_oauth.access_tokens
    assert stored.location_id == "LOC-MAIN" and connection.can_take_payments() == (True, "")


def test_a_state_is_single_use(f):
    state = start(f)
    code = f.square_oauth.approve(state)
    complete(f, state=state, code=code)
    with pytest.raises(InvalidOAuthState):
        complete(f, state=state, code=code)


def test_an_unknown_state_is_refused_without_touching_square(f):
    with pytest.raises(InvalidOAuthState) as error:
        complete(f, state="forged", code="code-1")
    assert error.value.field == "state"
    assert f.square_connections.connections == {}


def test_an_expired_state_is_refused(f):
    state = start(f)
    code = f.square_oauth.approve(state)
    f.clock.advance(minutes=10)
    with pytest.raises(InvalidOAuthState):
        complete(f, state=state, code=code)
    assert f.square_connections.connections == {}


def test_the_code_is_exchanged_with_the_verifier_of_this_state_only(f):
    # Another seller's state with this seller's code: the PKCE verifiers differ, Square refuses.
    mine, theirs = start(f, SELLER), start(f, OTHER_SELLER)
    code = f.square_oauth.approve(mine)
    with pytest.raises(SquareAuthorizationDenied):
        complete(f, state=theirs, code=code)
    assert f.square_connections.connections == {}


def test_a_seller_who_denies_on_square_gets_a_clear_refusal(f):
    state = start(f)
    with pytest.raises(SquareAuthorizationDenied, match="user_denied"):
        complete(f, state=state, error="access_denied", error_description="user_denied")


def test_with_several_locations_the_seller_chooses_one(f):
    f.square_merchant_api.locations_by_merchant["MERCHANT-1"] = [SquareLocation("L1", "Centro", "EUR"),
                                                                  SquareLocation("L2", "Norte", "EUR")]
    connection = connect(f)
    assert connection.location_id is None
    assert not CheckSellerCanTakePayments(f.square_connections).execute(SELLER.user_id)[0]
    choose = ChooseSquareLocation(f.square_connections, f.square_merchant_api, f.square_oauth, f.token_cipher, POLICY,
                                  f.clock)
    with pytest.raises(UnknownLocation):
        choose.execute(SELLER, "L3")
    view = choose.execute(SELLER, "L2")
    assert view.connection.location_name == "Norte" and len(view.locations) == 2
    assert CheckSellerCanTakePayments(f.square_connections).execute(SELLER.user_id) == (True, "")


def _order_of_seller(f: FakesModule, order_id: str, status, refunds=()) -> None:
    from datetime import timedelta

    from domain.orders.order import Order, RefundRecord, ServiceSnapshot
    from domain.orders.pricing import PriceModel
    now = f.clock.now()
    f.orders.orders[order_id] = Order(
        id=order_id, buyer_id="buyer-1", service=ServiceSnapshot("svc", SELLER.user_id, "Grifos", PriceModel.FIXED,
                                                                 Money(4500, "EUR"), 60),
        slot_start=now + timedelta(days=1), slot_end=now + timedelta(days=1, hours=1), time_zone="Europe/Madrid",
        buffer_minutes=0, address="Calle Mayor 1", notes="", status=status, created_at=now,
        refunds=[RefundRecord(refund_id=f"r-{i}", amount=Money(100, "EUR"), app_fee=Money(10, "EUR"), status=st,
                              reason="", created_at=now) for i, st in enumerate(refunds)])


@pytest.mark.parametrize(("status", "refunds"), [("authorized", ()), ("accepted", ()), ("in_progress", ()),
                                                 ("completed", ("PENDING",)), ("cancelled", ("RESERVED",))])
def test_switching_to_another_square_account_is_refused_while_money_is_open_on_the_first(f, status, refunds):
    from domain.orders.order import OrderStatus
    from domain.payments.errors import MerchantSwitchRefused
    connect(f, merchant_id="MERCHANT-1")
    _order_of_seller(f, "open-1", OrderStatus(status), refunds)
    _order_of_seller(f, "done-1", OrderStatus.COMPLETED, ("COMPLETED",))
    with pytest.raises(MerchantSwitchRefused) as refused:
        connect(f, merchant_id="MERCHANT-2")
    assert refused.value.details == {"order_ids": ["open-1"]}
    assert f.square_connections.get(SELLER.user_id).merchant_id == "MERCHANT-1"
    assert connect(f, merchant_id="MERCHANT-1").merchant_id == "MERCHANT-1"  # the same account again: fine


def test_switching_accounts_with_only_settled_orders_is_allowed(f):
    from domain.orders.order import OrderStatus
    connect(f, merchant_id="MERCHANT-1")
    _order_of_seller(f, "done-1", OrderStatus.COMPLETED, ("COMPLETED", "REJECTED"))
    _order_of_seller(f, "gone-1", OrderStatus.CANCELLED)
    assert connect(f, merchant_id="MERCHANT-2").merchant_id == "MERCHANT-2"


def test_get_my_connection_needs_one(f):
    get = GetMySquareConnection(f.square_connections, f.square_merchant_api, f.square_oauth, f.token_cipher, POLICY,
                                f.clock)
    with pytest.raises(SquareNotConnected):
        get.execute(SELLER)
    connect(f)
    assert [loc.id for loc in get.execute(SELLER, with_locations=True).locations] == ["LOC-MAIN"]


def test_disconnect_revokes_at_square_then_marks_disconnected(f):
    connect(f)
    DisconnectSquare(f.square_connections, f.square_oauth, f.clock).execute(SELLER)
    assert f.square_oauth.revoked_merchants == ["MERCHANT-1"]
    assert f.square_connections.connections[SELLER.user_id].status == ConnectionStatus.DISCONNECTED
    assert CheckSellerCanTakePayments(f.square_connections).execute(SELLER.user_id)[0] is False


def test_disconnect_when_square_is_down_leaves_the_seller_connected(f):
    connect(f)
    f.square_oauth.fail_next = PaymentGatewayUnavailable("down")
    with pytest.raises(PaymentGatewayUnavailable):
        DisconnectSquare(f.square_connections, f.square_oauth, f.clock).execute(SELLER)
    assert f.square_connections.connections[SELLER.user_id].status == ConnectionStatus.CONNECTED


# -- tokens --------------------------------------------------------------------------------------

def test_tokens_are_refreshed_only_once_inside_the_margin(f):
    connect(f)
    refresh = RefreshExpiringTokens(f.square_connections, f.square_oauth, f.token_cipher, POLICY, f.clock)
    f.clock.advance(days=22, hours=23)  # 7 days and an hour left
    assert refresh.execute().refreshed == 0
    f.clock.advance(hours=2)
    assert refresh.execute().refreshed == 1
    stored = f.square_connections.connections[SELLER.user_id]
    assert stored.expires_at == f.clock.now() + timedelta(days=30)
    assert refresh.execute().refreshed == 0


def test_a_refused_refresh_marks_the_seller_revoked_and_an_outage_is_retried_later(f):
    connect(f, SELLER, "M-A")
    connect(f, OTHER_SELLER, "M-B")
    f.square_oauth.refresh_tokens.pop("refresh-M-A")
    f.clock.advance(days=25)
    report = RefreshExpiringTokens(f.square_connections, f.square_oauth, f.token_cipher, POLICY, f.clock).execute()
    assert (report.refreshed, report.revoked) == (1, 1)
    assert f.square_connections.connections[SELLER.user_id].status == ConnectionStatus.REVOKED

    f.clock.advance(days=25)
    f.square_oauth.fail_next = PaymentGatewayUnavailable("down")
    report = RefreshExpiringTokens(f.square_connections, f.square_oauth, f.token_cipher, POLICY, f.clock).execute()
    assert report.failed == 1
    assert f.square_connections.connections[OTHER_SELLER.user_id].status == ConnectionStatus.CONNECTED


def test_credentials_refresh_a_token_about_to_expire_before_handing_it_out(f):
    connect(f)
    first = credentials(f).execute(SELLER.user_id)
    assert f.square_oauth.refreshes == 0
    f.clock.advance(days=24)
    second = credentials(f).execute(SELLER.user_id)
    assert f.square_oauth.refreshes == 1
    assert second.access_token != first.access_token and second.location_id == "LOC-MAIN"


# -- single-flight refresh (Square's PKCE refresh tokens are single-use) ----------------------------

def refresh_job(f: FakesModule) -> RefreshExpiringTokens:
    return RefreshExpiringTokens(f.square_connections, f.square_oauth, f.token_cipher, POLICY, f.clock)


def stored(f: FakesModule):
    return f.square_connections.connections[SELLER.user_id]


def test_the_fake_square_refuses_a_pkce_refresh_token_used_twice(f):
    # What made concurrent refreshes revoke sellers: the second exchange of the same token is refused.
    connect(f)
    token = f.token_cipher.decrypt(stored(f).refresh_token_encrypted)
    assert f.square_oauth.refresh(token).refresh_token != token
    with pytest.raises(SquareAuthorizationDenied):
        f.square_oauth.refresh(token)


def test_while_one_caller_refreshes_the_others_use_the_still_valid_token_without_calling_square(f):
    connect(f)
    f.clock.advance(days=24)  # 6 days left: inside the margin, still valid
    old_access = f.token_cipher.decrypt(stored(f).access_token_encrypted)
    old_refresh = stored(f).refresh_token_encrypted
    seen_by_losers = []

    def meanwhile() -> None:
        assert stored(f).refresh_running(f.clock.now())
        seen_by_losers.append(credentials(f).execute(SELLER.user_id).access_token)
        seen_by_losers.append(refresh_job(f).execute())

    f.square_oauth.during_refresh = meanwhile
    winner = credentials(f).execute(SELLER.user_id)

    assert len(f.square_oauth.refresh_calls) == 1
    assert seen_by_losers[0] == old_access
    assert (seen_by_losers[1].refreshed, seen_by_losers[1].skipped, seen_by_losers[1].revoked) == (0, 1, 0)
    assert winner.access_token != old_access
    assert stored(f).status == ConnectionStatus.CONNECTED and stored(f).refresh_lease_id is None
    assert stored(f).refresh_token_encrypted != old_refresh
    assert f.token_cipher.decrypt(stored(f).refresh_token_encrypted) in f.square_oauth.refresh_tokens


def test_a_refresher_that_read_before_the_lease_was_taken_does_not_call_square(f):
    connect(f)
    f.clock.advance(days=24)
    listed_before = f.square_connections.expiring_before(f.clock.now() + timedelta(days=7), 10)
    late_job = refresh_job(f)
    reports = []

    def meanwhile() -> None:
        # The other scheduler listed the connection before this refresh took the lease (the old race).
        f.square_connections.expiring_before = lambda *_: [copy.deepcopy(c) for c in listed_before]
        reports.append(late_job.execute())

    f.square_oauth.during_refresh = meanwhile
    assert refresh_job(f).execute().refreshed == 1
    assert len(f.square_oauth.refresh_calls) == 1
    assert (reports[0].skipped, reports[0].revoked) == (1, 0)
    assert stored(f).status == ConnectionStatus.CONNECTED


def test_concurrent_threads_make_exactly_one_square_call(f):
    connect(f)
    f.clock.advance(days=24)
    f.square_oauth.during_refresh = lambda: time.sleep(0.05)
    start_together = threading.Barrier(8)
    results: list[object] = []

    def ask() -> None:
        start_together.wait()
        results.append(credentials(f).execute(SELLER.user_id).access_token)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(f.square_oauth.refresh_calls) == 1
    assert stored(f).status == ConnectionStatus.CONNECTED
    assert f.token_cipher.decrypt(stored(f).refresh_token_encrypted) in f.square_oauth.refresh_tokens


def test_a_lease_left_by_a_crashed_process_is_taken_over_once_it_lapses(f):
    connect(f)
    f.clock.advance(days=24)
    crashed = f.square_connections.get(SELLER.user_id)
    crashed.begin_refresh(f.clock.now(), timedelta(seconds=POLICY.refresh_lease_seconds))
    f.square_connections.save(crashed)  # ... and its process died before calling Square

    f.clock.advance(seconds=POLICY.refresh_lease_seconds - 1)
    assert refresh_job(f).execute().skipped == 1
    assert f.square_oauth.refresh_calls == []
    f.clock.advance(seconds=1)
    assert refresh_job(f).execute().refreshed == 1
    assert len(f.square_oauth.refresh_calls) == 1 and stored(f).refresh_lease_id is None


def test_a_truly_expired_token_being_refreshed_elsewhere_asks_the_caller_to_retry(f):
    connect(f)
    f.clock.advance(days=30)  # expired: nobody refreshed in time
    other = f.square_connections.get(SELLER.user_id)
    other.begin_refresh(f.clock.now(), timedelta(seconds=POLICY.refresh_lease_seconds))
    f.square_connections.save(other)
    with pytest.raises(PaymentGatewayUnavailable, match="try again"):
        credentials(f).execute(SELLER.user_id)
    assert f.square_oauth.refresh_calls == [] and stored(f).status == ConnectionStatus.CONNECTED


def test_square_refusing_the_winner_marks_the_seller_revoked_and_ends_the_lease(f):
    connect(f)
    f.square_oauth.refresh_tokens.clear()  # the seller withdrew the authorization on Square
    f.clock.advance(days=24)
    with pytest.raises(SellerCannotTakePayments, match="no longer valid"):
        credentials(f).execute(SELLER.user_id)
    assert stored(f).status == ConnectionStatus.REVOKED and stored(f).refresh_lease_id is None
    assert refresh_job(f).execute() == RefreshReport(refreshed=0, revoked=0, failed=0, skipped=0)


def test_an_outage_gives_the_lease_back_so_the_next_caller_retries(f):
    connect(f)
    f.clock.advance(days=24)
    f.square_oauth.fail_next = PaymentGatewayUnavailable("down")
    assert refresh_job(f).execute().failed == 1
    assert stored(f).refresh_lease_id is None and stored(f).status == ConnectionStatus.CONNECTED
    assert refresh_job(f).execute().refreshed == 1


def test_the_winner_stores_its_tokens_even_when_the_seller_chose_a_location_meanwhile(f):
    f.square_merchant_api.locations_by_merchant["MERCHANT-1"] = [SquareLocation("L1", "Centro", "EUR"),
                                                                  SquareLocation("L2", "Norte", "EUR")]
    connect(f)
    f.clock.advance(days=24)
    choose = ChooseSquareLocation(f.square_connections, f.square_merchant_api, f.square_oauth, f.token_cipher, POLICY,
                                  f.clock)
    f.square_oauth.during_refresh = lambda: choose.execute(SELLER, "L2")
    refresh_job(f).execute()
    assert len(f.square_oauth.refresh_calls) == 1
    assert stored(f).location_id == "L2"
    assert f.token_cipher.decrypt(stored(f).refresh_token_encrypted) in f.square_oauth.refresh_tokens
    assert stored(f).expires_at == f.clock.now() + timedelta(days=30)


def test_importing_a_seller_already_connected_does_not_spend_the_token(f):
    connect(f)
    f.square_oauth.refresh_tokens["demo-token"] = "MERCHANT-DEMO"
    imported = import_connection(f).execute(SELLER.user_id, "demo-token")
    assert imported.merchant_id == "MERCHANT-1" and f.square_oauth.refresh_calls == []
    f.square_connections.connections[SELLER.user_id].status = ConnectionStatus.REVOKED
    assert import_connection(f).execute(SELLER.user_id, "demo-token").merchant_id == "MERCHANT-DEMO"
    assert f.square_oauth.refresh_calls == ["demo-token"]


def import_connection(f: FakesModule) -> ImportSquareConnection:
    return ImportSquareConnection(f.square_oauth, f.square_merchant_api, f.square_connections, f.token_cipher,
                                  f.money_in_flight, f.clock)


def test_credentials_of_a_seller_who_cannot_take_payments_are_refused_with_the_reason(f):
    with pytest.raises(SellerCannotTakePayments, match="not connected"):
        credentials(f).execute(SELLER.user_id)
    connect(f)
    DisconnectSquare(f.square_connections, f.square_oauth, f.clock).execute(SELLER)
    with pytest.raises(SellerCannotTakePayments, match="disconnected"):
        credentials(f).execute(SELLER.user_id)


# -- webhooks ----------------------------------------------------------------------------------------

def event(event_type: str, obj: dict, *, event_id: str = "ev-1", merchant_id: str = "MERCHANT-1",
          created_at: str = "2026-11-23T10:05:00Z") -> str:
    kind = event_type.split(".")[0]
    return json.dumps({"merchant_id": merchant_id, "type": event_type, "event_id": event_id,
                       "created_at": created_at, "data": {"type": kind, "id": "x", "object": obj}})


PAYMENT = {"payment": {"id": "pay-1", "status": "COMPLETED", "updated_at": "2026-11-23T10:04:00Z",
                       "amount_money": {"amount": 12_000, "currency": "EUR"}}}


@pytest.mark.parametrize("signature", [None, "", "forged"])
def test_a_missing_or_bad_signature_is_refused_before_anything_is_read_or_written(f, signature):
    with pytest.raises(InvalidWebhookSignature):
        webhooks(f).execute(event("payment.updated", PAYMENT), signature)
    assert f.webhook_events.events == {} and f.payment_events.calls == []


def test_a_payment_update_is_passed_on_once_and_a_replay_is_ignored(f):
    body = event("payment.updated", PAYMENT)
    assert webhooks(f).execute(body, "good-signature") == WebhookOutcome.HANDLED
    assert webhooks(f).execute(body, "good-signature") == WebhookOutcome.DUPLICATE
    assert len(f.payment_events.calls) == 1
    name, call = f.payment_events.calls[0]
    assert name == "payment_updated"
    assert call["payment_id"] == "pay-1" and call["status"] == "COMPLETED"
    assert call["amount"] == Money(12_000, "EUR")
    assert call["occurred_at"].isoformat() == "2026-11-23T10:04:00+00:00"


def test_refund_and_invoice_events_are_passed_on(f):
    refund = {"refund": {"id": "re-1", "payment_id": "pay-1", "status": "COMPLETED",
                         "amount_money": {"amount": 500, "currency": "EUR"}}}
    invoice = {"invoice": {"id": "inv-1", "status": "PAID"}}
    webhooks(f).execute(event("refund.updated", refund, event_id="e1"), "good-signature")
    webhooks(f).execute(event("invoice.payment_made", invoice, event_id="e2"), "good-signature")
    assert [name for name, _ in f.payment_events.calls] == ["refund_updated", "invoice_updated"]
    assert f.payment_events.calls[0][1]["amount"] == Money(500, "EUR")
    assert f.payment_events.calls[1][1]["status"] == "PAID"


def test_an_event_we_do_not_act_on_is_acknowledged(f):
    assert webhooks(f).execute(event("customer.created", {}), "good-signature") == WebhookOutcome.IGNORED


def test_a_malformed_event_is_refused_and_can_be_delivered_again_once_fixed(f):
    broken = event("payment.updated", {"payment": {"id": "pay-1", "status": "COMPLETED"}})
    with pytest.raises(MalformedWebhook):
        webhooks(f).execute(broken, "good-signature")
    assert f.webhook_events.events == {}
    with pytest.raises(MalformedWebhook):
        webhooks(f).execute("not json", "good-signature")


def test_revocation_makes_the_sellers_of_the_merchant_unbookable_with_a_reason(f):
    connect(f)
    f.clock.advance(hours=1)
    revocation = {"revocation": {"revoked_at": "2026-11-23T10:30:00Z", "revoker_type": "MERCHANT"}}
    webhooks(f).execute(event("oauth.authorization.revoked", revocation), "good-signature")
    ok, reason = CheckSellerCanTakePayments(f.square_connections).execute(SELLER.user_id)
    assert not ok and "revoked on Square by the merchant" in reason


def test_a_revocation_delivered_after_the_seller_reconnected_leaves_them_connected(f):
    connect(f)  # connected at 10:00
    revocation = {"revocation": {"revoked_at": "2026-11-23T09:00:00Z", "revoker_type": "MERCHANT"}}
    webhooks(f).execute(event("oauth.authorization.revoked", revocation, created_at="2026-11-23T09:00:01Z"),
                        "good-signature")
    assert CheckSellerCanTakePayments(f.square_connections).execute(SELLER.user_id) == (True, "")


def test_when_passing_an_event_on_fails_it_is_not_marked_handled(f):
    class Failing:
        def payment_updated(self, **_):
            raise RuntimeError("orders are down")

    handler = HandleSquareWebhook(f.webhook_signatures, f.webhook_events, f.square_connections, Failing(), f.clock)
    with pytest.raises(RuntimeError):
        handler.execute(event("payment.updated", PAYMENT), "good-signature")
    assert f.webhook_events.events == {}
    assert webhooks(f).execute(event("payment.updated", PAYMENT), "good-signature") == WebhookOutcome.HANDLED
