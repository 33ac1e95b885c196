"""Money in minor units (cents) and an ISO 4217 currency. Never a float."""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.errors import InvalidInput

# Currencies the marketplace accepts, with their number of minor units (ISO 4217).
CURRENCY_EXPONENTS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "CAD": 2, "AUD": 2, "MXN": 2, "COP": 2,
    "ARS": 2, "CLP": 0, "PEN": 2, "BRL": 2, "JPY": 0, "SEK": 2, "NOK": 2, "DKK": 2,
    "PLN": 2,
}


class CurrencyMismatch(InvalidInput):
    code = "currency_mismatch"


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int in Python; a price of True must not slip through.
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidInput("amount must be an integer number of minor units", field="amount")
        if self.currency not in CURRENCY_EXPONENTS:
            raise InvalidInput(f"unsupported currency {self.currency!r}", field="currency")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def times(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    def percentage(self, basis_points: int) -> Money:
        """A share of this amount in basis points (1 bp = 0.01 %), rounded half up."""
        return Money((self.amount * basis_points + 5_000) // 10_000, self.currency)

    def is_negative(self) -> bool:
        return self.amount < 0

    def to_dict(self) -> dict[str, int | str]:
        return {"amount": self.amount, "currency": self.currency}
