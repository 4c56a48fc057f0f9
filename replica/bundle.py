"""The bundled replica sites: the demo crawls them, the tests judge crawls against them."""

from __future__ import annotations

from replica.sites import Site


def build_sites() -> list[Site]:
    """The replica sites: TRS 城阳区, Hanweb 崂山区, generic GBK 峄城区, the small sites
    of the other seed publishers (芝罘区, 青岛高新区, 王哥庄街道), and portals written by
    other hands (福山区, 牟平区 with year and category sub-columns, a column of titles
    copied from many sites), and sites whose pagers, attachments and lists are written by
    script (平潭 TRS with its search interface, 沭阳县)."""
    from replica.fushan import build_fushan
    from replica.generic import build_yicheng
    from replica.hanweb import build_laoshan
    from replica.muping import build_muping
    from replica.pingtan import build_pingtan
    from replica.seeds import build_seed_sites
    from replica.shuyang import build_shuyang
    from replica.titles import build_titles
    from replica.trs import build_chengyang

    return [build_chengyang(), build_laoshan(), build_yicheng(), *build_seed_sites(5),
            build_fushan(8), build_muping(9), build_titles(10),
            build_pingtan(11), build_shuyang(12)]
