"""infoview.model.bulk(): the collector is paused inside and restored after; what it built moves to
the oldest generation without being leaked or freezing anything for good."""
from __future__ import annotations

import gc
import weakref

from infoview.model import bulk


class Node:
    pass


def test_the_collector_is_paused_inside_and_restored_after_even_when_nested():
    assert gc.isenabled()
    with bulk():
        assert not gc.isenabled()
        with bulk():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_cycle_built_inside_is_still_collected():
    with bulk():
        node = Node()
        node.me = node  # type: ignore[attr-defined]
        gone = weakref.ref(node)
        del node
    gc.collect()
    assert gone() is None


def test_objects_someone_else_froze_stay_frozen():
    held = [{"n": [i]} for i in range(10_000)]  # alive throughout, so they stay counted while frozen
    gc.freeze()
    try:
        # Other frozen objects may be freed meanwhile (xdist's threads), so not an exact count:
        # had bulk() unfrozen, the count would be 0.
        assert gc.get_freeze_count() >= len(held)
        with bulk():
            kept = [{"n": [i]} for i in range(1000)]
        assert gc.get_freeze_count() >= len(held)
        assert len(kept) == 1000
    finally:
        gc.unfreeze()
