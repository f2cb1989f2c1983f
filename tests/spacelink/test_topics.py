from __future__ import annotations

from spacelink.topics import across_the_link


def test_across_the_link() -> None:
    assert across_the_link("rovers/zhurong/earth/tc") == "rovers/zhurong/mars/tc"
    assert across_the_link("rovers/zhurong/mars/tm") == "rovers/zhurong/earth/tm"
    assert across_the_link("rovers/zhurong/mars/status") is None
    assert across_the_link("elsewhere") is None
