from __future__ import annotations

from domain.shared.errors import ConcurrentChange, Conflict, InvalidInput, NotAllowed, NotFound


class InvalidReview(InvalidInput):
    code = "invalid_review"


class ReviewsNotFound(NotFound):
    code = "review_not_found"

    def __init__(self, message: str = "review not found") -> None:
        # Also raised to people with no part in the order: they must not learn it exists.
        super().__init__(message)


class OrderNotReviewable(Conflict):
    code = "order_not_reviewable"


class ReviewWindowClosed(Conflict):
    code = "review_window_closed"

    def __init__(self) -> None:
        super().__init__("the review window of this order has closed")


class AlreadyReviewed(Conflict):
    code = "already_reviewed"

    def __init__(self) -> None:
        super().__init__("you have already reviewed this order")


class AlreadyReplied(Conflict):
    code = "already_replied"

    def __init__(self) -> None:
        super().__init__("you have already replied to this review")


class NotYourReview(NotAllowed):
    code = "not_your_review"


class ConcurrentReviewChange(ConcurrentChange):
    code = "concurrent_review_change"

    def __init__(self) -> None:
        super().__init__("the reviews of this order were changed at the same time; try again")
