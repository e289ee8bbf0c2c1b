"""What each app hands the route-walking scope test (tests/test_scope_everywhere.py).

Each app's ``tests/<app>/scope_objects.py`` defines ``outside_scope(cast, found) -> OutsideScope``:
its objects at Paris (South region) that no one but the owner may see or change. ``found`` holds
what the apps below it returned, by name, so recovery can find the case opened by feedback's
answer. A new app is covered by adding its module; a route whose path parameter no app gives a
value for fails the test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class OutsideScope:
    # Objects by name, for the apps above (``found``) and the checks.
    objects: dict = field(default_factory=dict)
    # Path parameter → value, for every route…
    values: dict = field(default_factory=dict)
    # …and for routes starting with a prefix ("recovery/"), overriding the above.
    prefixed: dict[str, dict] = field(default_factory=dict)
    # Texts that only the owner may see.
    markers: list[str] = field(default_factory=list)
    # Texts that an associate, a shopper, an outsider and an anonymous visitor may not see.
    colleague_markers: list[str] = field(default_factory=list)
    # Run after the walk: each asserts that an object outside the scope is as it was.
    unchanged: list[Callable[[], None]] = field(default_factory=list)
