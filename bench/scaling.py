"""Figure 3: how search scales. For every documented filter combination, the plan the server
chose for the query the app sends (``explain``, unhinted like the app), what it examined, and
what MongoDB's own rules predict it would examine.

The local server never pushes a limit into the index and always sorts in memory, so on it
"examined" is proportional to the matches, not the page: we report examined per *match* there
(1.0 = an index narrowed it to the matches). Its planner uses an index only when the filter's
fields are exactly an index's leading fields (the last one possibly a range); a filter with more
fields scans every document, which the table shows. What decides speed on a real MongoDB is
examined per *returned* document; ``predict`` walks the index ``query_shapes.index_for`` names
(the one MongoDB's planner picks: equality prefix, then the sort) the way MongoDB does (keys in
sort order, bounds on trailing keys checked on the key, other filters on the fetched document,
stop at the page's last document) over the same generated data."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from adapters.outbound.catalog.in_memory import matches, order_key
from adapters.outbound.catalog.mongo_documents import RANK_KEYS, index_name
# The adapter's own filter, so what is explained is exactly the query the app sends.
from adapters.outbound.catalog.mongo_repositories import SERVICE_PROJECTION, _search_filter, relevance_queries
from adapters.outbound.catalog.vocabulary_data import ShippedVocabulary
from adapters.outbound.catalog.query_shapes import (
    QueryShape,
    driver_of,
    facets_shape,
    index_for,
    items_shape,
    key_checked_of,
    page_sort_keys,
    ranked_in_memory,
)
from application.catalog.search import ServiceSearch, SortOrder
from bench.data import Sample
from domain.catalog.service import Service

PAGE = 20
PRICE_RANGE = {"min_price": 5_000, "max_price": 15_000}


def combinations(s: Sample) -> list[tuple[str, ServiceSearch]]:
    """Every driver of query_shapes.py with every sort, relevance, a price range on each driver,
    and the filters that no index holds (checked on the fetched documents)."""
    drivers: dict[str, dict[str, Any]] = {
        "none": {}, "category": {"categories": [s.category]}, "q": {"q": s.topic}, "area": {"area": s.area},
        "seller": {"seller_id": s.seller_id}}
    found = [(f"{name} / {sort.value}", ServiceSearch.build(**filters, sort=sort.value))
             for name, filters in drivers.items()
             for sort in (SortOrder.NEWEST, SortOrder.PRICE_ASC, SortOrder.PRICE_DESC, SortOrder.RATING)]
    found.append(("q / relevance", ServiceSearch.build(q=s.topic, sort="relevance")))
    found.append(("q of two words / relevance", ServiceSearch.build(q=f"{s.topic} {s.second_topic}", sort="relevance")))
    # What buyers type: a problem naming a trade, understood with the shipped vocabulary as the app does.
    vocabulary = ShippedVocabulary().vocabulary()
    for q in ("fuga de agua", "fontanro urgente"):
        found.append((f"q '{q}' / relevance", ServiceSearch.build(q=q, sort="relevance").understood_with(vocabulary)))
    found += [(f"{name} + price range / newest", ServiceSearch.build(**filters, **PRICE_RANGE, sort="newest"))
              for name, filters in drivers.items()]
    found += [(f"{name} + price range / price_asc", ServiceSearch.build(**filters, **PRICE_RANGE, sort="price_asc"))
              for name, filters in drivers.items() if name in ("none", "category")]
    found.append(("category + min_rating 4.5 / newest",
                  ServiceSearch.build(categories=[s.category], min_rating=4.5, sort="newest")))
    found.append(("category + hourly / newest",
                  ServiceSearch.build(categories=[s.category], price_model="hourly", sort="newest")))
    return found


@dataclass(frozen=True)
class Examined:
    keys: int
    docs: int
    returned: int

    def per_returned(self) -> tuple[float, float]:
        n = max(self.returned, 1)
        return self.keys / n, self.docs / n


@dataclass(frozen=True)
class PlanRow:
    label: str
    size: int
    stage: str            # e.g. "SORT <- FETCH <- IXSCAN"
    index: str | None     # the IXSCAN's index
    intended: str
    matches: int
    observed: Examined
    predicted: Examined
    millis: int
    equality: frozenset[str] = frozenset()
    index_keys: tuple[str, ...] = ()

    @property
    def on_intended_index(self) -> bool:
        return self.index == self.intended and "COLLSCAN" not in self.stage

    @property
    def scanned(self) -> bool:
        return "COLLSCAN" in self.stage or self.index is None

    @property
    def led_by_equality(self) -> bool:
        """The server's index starts with the shape's equality fields (it narrows to the driver)."""
        return set(self.index_keys[:len(self.equality)]) == set(self.equality)


def _stages(plan: dict) -> tuple[list[str], str | None, tuple[str, ...]]:
    names, index, keys = [], None, ()
    while plan:
        names.append(plan["stage"])
        index = plan.get("indexName", index)
        keys = tuple(plan.get("keyPattern") or {}) or keys
        plan = plan.get("inputStage") or {}
    return names, index, keys


def explain_page(collection, search: ServiceSearch) -> tuple[dict, dict]:
    """(winningPlan, executionStats) of the adapter's page query for ``search``, unhinted as sent.
    Relevance sends one query per tier until the page is full: their stats are summed, the plan
    is the first's."""
    query = _search_filter(search)
    if search.sort is SortOrder.RELEVANCE and not ranked_in_memory(search):
        plan, total, seen = None, {"totalKeysExamined": 0, "totalDocsExamined": 0, "nReturned": 0,
                                   "executionTimeMillis": 0}, set()
        for tier_query in relevance_queries(search):
            explained = (collection.find(tier_query, {"_id": 1}).sort(list(RANK_KEYS)).limit(PAGE)
                         .explain())
            plan = plan or explained["queryPlanner"]["winningPlan"]
            for name in total:
                total[name] += explained["executionStats"].get(name, 0)
            seen.update(raw["_id"] for raw in collection.find(tier_query, {"_id": 1}).sort(list(RANK_KEYS)).limit(PAGE))
            if len(seen) >= PAGE:
                break
        total["nReturned"] = min(len(seen), PAGE)
        return plan or {}, total
    explained = collection.find(query, SERVICE_PROJECTION).sort(list(page_sort_keys(search))).limit(PAGE).explain()
    return explained["queryPlanner"]["winningPlan"], explained["executionStats"]


def explain_facets(collection, search: ServiceSearch) -> tuple[dict, dict]:
    loose = search.without_categories()
    pipeline = [{"$match": _search_filter(loose)}, {"$group": {"_id": "$category", "count": {"$sum": 1}}}]
    return _explain_aggregate(collection, pipeline)


def _explain_aggregate(collection, pipeline: list[dict]) -> tuple[dict, dict]:
    result = collection.database.command({"explain": {"aggregate": collection.name, "pipeline": pipeline,
                                                      "cursor": {}}, "verbosity": "executionStats"})
    cursor = result["stages"][0]["$cursor"]
    return cursor["queryPlanner"]["winningPlan"], cursor["executionStats"]


def _driver_matches(search: ServiceSearch) -> Callable[[Service], bool]:
    driver = driver_of(search)
    if driver == "seller_id":
        return lambda s: s.seller_id == search.seller_id
    if driver == "keywords":
        wanted = set(search.keywords)
        return lambda s: bool(wanted & set(s.keywords))
    if driver == "area_keys":
        return lambda s: search.area in s.area_keys
    if driver == "category":
        return lambda s: s.category in search.categories
    return lambda s: True


def _price_in_bounds(search: ServiceSearch, service: Service) -> bool:
    amount = service.price.amount if service.price else None
    if amount is None:
        return search.min_price is None and search.max_price is None
    return ((search.min_price is None or amount >= search.min_price)
            and (search.max_price is None or amount <= search.max_price))


def _key_passes(field: str, search: ServiceSearch, service: Service) -> bool:
    """Whether an index entry passes the bound the search puts on ``field`` (a key-checked field)."""
    if field == "price_amount":
        return _price_in_bounds(search, service)
    if field == "rating_average":
        return search.min_rating is None or service.rating_average >= search.min_rating
    if field == "price_model":
        return search.price_model is None or service.price_model is search.price_model
    raise ValueError(f"no index key checks {field}")


def predict(services: Iterable[Service], search: ServiceSearch, shape: QueryShape) -> Examined:
    """What MongoDB examines for the first page on the intended index (see the module doc)."""
    in_prefix = _driver_matches(search)
    candidates = [s for s in services if s.is_listed and in_prefix(s)]
    if search.sort is SortOrder.RELEVANCE and not ranked_in_memory(search):
        return _predict_tiers(candidates, search, shape)
    if ranked_in_memory(search):
        # Ranked per document: every key the driving index yields is read and sorted in memory.
        found = sum(1 for s in candidates if matches(s, search))
        return Examined(len(candidates), len(candidates), min(found, PAGE))
    # A bound on the leading sort key bounds the walk itself: what is outside is never read.
    on_walk = key_checked_of(search) & {page_sort_keys(search)[0][0]}
    candidates = [s for s in candidates if all(_key_passes(f, search, s) for f in on_walk)]
    key, reverse = order_key(search)
    candidates.sort(key=key, reverse=reverse)
    keys = docs = returned = 0
    for service in candidates:
        keys += 1
        if not all(_key_passes(f, search, service) for f in shape.ranges):
            continue
        docs += 1
        if matches(service, search):
            returned += 1
            if returned == PAGE:
                break
    return Examined(keys, docs, returned)


def _predict_tiers(candidates: list[Service], search: ServiceSearch, shape: QueryShape) -> Examined:
    """Relevance, one query per tier (``relevance_queries``), each limited to the page: MongoDB
    merges the index ranges of the tier's keys in rank order (SORT_MERGE), reading each service
    once per key of the tier it has, fetching those whose keys pass the key-checked filters, and
    stops at the page's end; a service an earlier tier gave is read again but kept once."""
    taken: set[str] = set()
    keys = docs = 0
    for tier in search.terms.tiers:
        wanted = set(tier)
        in_tier = [s for s in candidates if wanted.intersection(s.keywords)]
        in_tier.sort(key=lambda s: (s.rank, s.id), reverse=True)
        returned = 0
        for service in in_tier:
            keys += len(wanted.intersection(service.keywords))
            if not all(_key_passes(f, search, service) for f in shape.ranges):
                continue
            docs += 1
            if matches(service, search):
                returned += 1
                taken.add(service.id)
                if returned == PAGE:
                    break
        if len(taken) >= PAGE:
            break
    return Examined(keys, docs, min(len(taken), PAGE))


def plan_rows(collection, services: list[Service], size: int, sample: Sample) -> list[PlanRow]:
    rows = []
    for label, search in combinations(sample):
        plan, stats = explain_page(collection, search)
        rows.append(_row(label, size, search, items_shape(search), plan, stats, services, predicted=True))
    for label, search in combinations(sample)[::4][:5]:
        plan, stats = explain_facets(collection, search)
        driver = label.split(" /")[0]
        rows.append(_row(f"facets: {driver}", size, search.without_categories(), facets_shape(search), plan, stats,
                         services, predicted=False))
    return rows


def _row(label: str, size: int, search: ServiceSearch, shape: QueryShape, plan: dict, stats: dict,
         services: list[Service], *, predicted: bool) -> PlanRow:
    names, index, index_keys = _stages(plan)
    found = sum(1 for s in services if matches(s, search))
    observed = Examined(stats["totalKeysExamined"], stats["totalDocsExamined"], stats["nReturned"])
    # A count reads every match by nature: its "prediction" is the matches themselves.
    expected = predict(services, search, shape) if predicted else Examined(found, found, found)
    return PlanRow(label, size, " <- ".join(names), index, index_name(index_for(shape)), found, observed, expected,
                   int(stats.get("executionTimeMillis", 0)), shape.equality, index_keys)


# --- Relevance by MongoDB's rules, without a server (``python -m bench --only relevance``) ----------
def relevance_searches(s: Sample) -> list[tuple[str, ServiceSearch]]:
    """The relevance rows of ``combinations``: generated words, and what buyers type read with the vocabulary."""
    return [(label, search) for label, search in combinations(s) if search.sort is SortOrder.RELEVANCE]


def keyword_matches(services: Iterable[Service], search: ServiceSearch) -> int:
    """What relevance read before tiers (every match of any keyword, ranked in memory): per page, all of them."""
    return sum(1 for service in services if service.is_listed and matches(service, search))


@dataclass(frozen=True)
class RelevanceRow:
    label: str
    size: int
    matches: int
    predicted: Examined
    tiers_read: int
    words: int


def relevance_rows(services: list[Service], size: int, sample: Sample) -> list[RelevanceRow]:
    rows = []
    for label, search in relevance_searches(sample):
        shape = items_shape(search)
        predicted = predict(services, search, shape)
        wanted, tiers_read = set(), 0
        for tier in search.terms.tiers:
            tiers_read += 1
            wanted.update(s.id for s in services if s.is_listed and set(tier) & set(s.keywords) and matches(s, search))
            if len(wanted) >= PAGE:
                break
        rows.append(RelevanceRow(label, size, keyword_matches(services, search), predicted, tiers_read,
                                 len(search.terms.words)))
    return rows
