"""The matrix's markup carries what a phone's card layout shows: each cell names its cycle; counts wrap."""

from __future__ import annotations

import re

from conftest import community, entry

from generator import views
from generator.render import Renderer


def test_each_filled_or_prompting_cell_names_its_cycle_and_the_counts_are_a_list():
    c = community("c", title="Circle")
    rows = [entry("c", "a", cycles={"applied": ("Changed",), "immediate": ()})]
    html = Renderer().community_matrix(views.community_matrix(c, rows), "communities/c/matrix/")
    cells = re.findall(r'<td class="copmem-cell copmem-cell--(filled|empty)"><span class="copmem-cell__cycle '
                       r'copmem-cycle-(\w+)">([^<]+)</span>', html)
    assert cells == [("filled", "immediate", "Immediate value"), ("filled", "applied", "Applied value"),
                     ("empty", "potential", "Potential value"), ("empty", "realised", "Realised value"),
                     ("empty", "transformative", "Transformative value")]
    assert '<ul class="copmem-counts" aria-label="Entries per cycle">' in html and "<table class=\"copmem-counts\"" not in html
    assert 'class="copmem-scroll copmem-scroll--matrix" tabindex="0" role="region" ' \
           'aria-label="The Circle Value Creation Matrix"' in html
