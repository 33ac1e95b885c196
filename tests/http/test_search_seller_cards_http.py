"""Search results carry who offers each service (name, photo, rating, jobs done, member since)
from a copy kept on the service, and every write that changes the profile's side moves the copy:
the profile's own edit, a published review, a completed job."""

from __future__ import annotations

from tests.http.test_reviews_http import PROFILE, review, world  # noqa: F401 (fixture)
from tests.images import photo, upload


def seller_in_search(client, service_id: str) -> dict:
    [item] = [s for s in client.get("/services?page_size=50").json["items"] if s["id"] == service_id]
    return item["seller"]


def test_a_result_shows_the_seller_as_their_profile_does(client, world):  # noqa: F811
    card = seller_in_search(client, world["service_id"])
    profile = client.get(f"/sellers/{world['seller_id']}").json
    assert card == {key: profile[key] for key in
                    ("display_name", "photo_url", "rating_average", "rating_count", "completed_jobs", "member_since")}
    assert card["display_name"] == PROFILE["display_name"] and card["member_since"]


def test_the_sellers_new_name_and_photo_reach_their_results(client, world):  # noqa: F811
    assert client.put("/me/seller-profile", json={**PROFILE, "display_name": "Carlos R."},
                      headers=world["seller"]).status_code == 200
    uploaded = client.put("/me/seller-profile/photo", headers=world["seller"], data=upload(photo(300, 300)))
    assert uploaded.status_code == 200, uploaded.json
    card = seller_in_search(client, world["service_id"])
    assert (card["display_name"], card["photo_url"]) == ("Carlos R.", uploaded.json["photo"]["card_url"])
    assert client.delete("/me/seller-profile/photo", headers=world["seller"]).status_code == 200
    assert seller_in_search(client, world["service_id"])["photo_url"] is None
    assert client.get(f"/services/{world['service_id']}").json["seller"]["display_name"] == "Carlos R."
    assert seller_in_search(client, world["other_service_id"])["display_name"] == "Elena"


def test_a_published_review_and_a_completed_job_move_the_sellers_card(client, world):  # noqa: F811
    review(client, world["buyer"], stars=4)
    review(client, world["seller"], stars=5)
    card = seller_in_search(client, world["service_id"])
    assert (card["rating_average"], card["rating_count"]) == (4.0, 1)

    assert client.post("/orders/order-live/complete",
                       headers={**world["seller"], "Idempotency-Key": "done-1"}).status_code == 200
    assert seller_in_search(client, world["service_id"])["completed_jobs"] == \
        client.get(f"/sellers/{world['seller_id']}").json["completed_jobs"] == 1
    assert seller_in_search(client, world["other_service_id"])["rating_count"] == 0
