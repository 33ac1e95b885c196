import pytest

from domain.accounts.email import Email
from domain.accounts.password_policy import check_password_policy
from domain.accounts.errors import WeakPassword
from domain.shared.access import Actor, Role
from domain.shared.errors import InvalidInput, NotAllowed
from domain.shared.money import CurrencyMismatch, Money


class TestMoney:
    def test_adds_and_subtracts_in_minor_units(self):
        assert Money(1250, "EUR") + Money(50, "EUR") == Money(1300, "EUR")
        assert Money(1250, "EUR") - Money(250, "EUR") == Money(1000, "EUR")

    @pytest.mark.parametrize("amount", [12.5, "12", True, None])
    def test_refuses_anything_but_an_integer(self, amount):
        with pytest.raises(InvalidInput) as error:
            Money(amount, "EUR")
        assert error.value.field == "amount"

    def test_refuses_unknown_currency(self):
        with pytest.raises(InvalidInput) as error:
            Money(100, "XYZ")
        assert error.value.field == "currency"

    def test_never_mixes_currencies(self):
        with pytest.raises(CurrencyMismatch):
            Money(100, "EUR") + Money(100, "USD")

    @pytest.mark.parametrize(("amount", "bps", "expected"), [(10_000, 1000, 1000), (999, 1000, 100), (5, 1000, 1), (4, 1000, 0)])
    def test_percentage_in_basis_points_rounds_half_up(self, amount, bps, expected):
        assert Money(amount, "EUR").percentage(bps) == Money(expected, "EUR")


class TestEmail:
    def test_is_normalized_to_lower_case(self):
        assert Email("  Ana.Garcia@Example.COM ").value == "ana.garcia@example.com"
        assert Email("A@x.com") == Email("a@X.com")

    @pytest.mark.parametrize("raw", ["", "no-at-sign", "two@@x.com", "a@b", "spa ce@x.com", "a" * 300 + "@x.com"])
    def test_refuses_malformed_addresses(self, raw):
        with pytest.raises(InvalidInput):
            Email(raw)


class TestPasswordPolicy:
    def test_needs_ten_characters(self):
        with pytest.raises(WeakPassword):
            check_password_policy("short", Email("a@x.com"))

    @pytest.mark.parametrize("password", ["ana.garcia@example.com", "ANA.GARCIA@EXAMPLE.COM"])
    def test_must_not_be_the_email(self, password):
        with pytest.raises(WeakPassword):
            check_password_policy(password, Email("ana.garcia@example.com"))

    def test_accepts_a_decent_password(self):
        check_password_policy("correct horse battery", Email("a@x.com"))


class TestActor:
    def test_owner_may_act(self):
        Actor("u1", frozenset({Role.SELLER})).ensure_owner("u1")

    def test_someone_else_may_not(self):
        with pytest.raises(NotAllowed):
            Actor("u2", frozenset({Role.SELLER})).ensure_owner("u1")

    def test_staff_may_only_where_allowed(self):
        support = Actor("s", frozenset({Role.SUPPORT}))
        support.ensure_owner("u1", staff_may=True)
        with pytest.raises(NotAllowed):
            support.ensure_owner("u1")

    def test_role_check_names_the_role(self):
        with pytest.raises(NotAllowed, match="seller"):
            Actor("u", frozenset({Role.BUYER})).ensure_role(Role.SELLER)
