from domain.shared.errors import Conflict, InvalidInput, NotFound


class ServiceNotFound(NotFound):
    code = "service_not_found"

    def __init__(self) -> None:
        super().__init__("service not found")


class SellerProfileNotFound(NotFound):
    code = "seller_profile_not_found"

    def __init__(self) -> None:
        super().__init__("seller profile not found")


class SellerProfileMissing(Conflict):
    """Buyers decide on the presentation: a service is only published by a seller who has one."""

    code = "seller_profile_missing"

    def __init__(self) -> None:
        super().__init__("create your seller profile (PUT /me/seller-profile) before publishing services")


class UnknownCategory(InvalidInput):
    code = "unknown_category"

    def __init__(self, slug: object, *, field: str = "category") -> None:
        super().__init__(f"unknown category {slug!r}; see GET /categories", field=field)


class UnknownPlace(InvalidInput):
    code = "unknown_place"

    def __init__(self, text: object) -> None:
        super().__init__(f"no Spanish postal code or city called {text!r}; try a 5-digit postal code or lat and lng",
                         field="near")
