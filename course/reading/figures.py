"""The course's one palette and a helper that shows every figure with a text description.

The palette is Okabe & Ito's, chosen to stay distinguishable for the common forms of
colour blindness. Colour never carries meaning alone: pair it with labels, hatching
or markers (see HATCHES and MARKERS).

>>> PALETTE["blue"]
'#0072B2'
"""

from __future__ import annotations

import matplotlib.pyplot as plt

PALETTE = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
# The order used for categories: strong contrasts first.
PALETTE_LIST = [PALETTE[name] for name in
                ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue", "yellow", "black")]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "--", "oo"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def use_course_style() -> None:
    """Set matplotlib defaults for the course (the palette, readable sizes, no top/right frame), and let
    pandas show whole sentences in table cells rather than cutting them off."""
    import pandas as pd
    from cycler import cycler

    pd.set_option("display.max_colwidth", None)

    plt.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE_LIST),
        "figure.figsize": (7.5, 3.6),
        "figure.dpi": 80,
        "font.size": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
    })


def show_figure(fig: plt.Figure, description: str) -> None:
    """Show a figure, then print its one-sentence description (for screen readers and exports).

    Example, in a notebook cell::

        fig, ax = plt.subplots()
        _ = ax.bar(["P1", "P2"], [45, 55])
        show_figure(fig, "Bar chart: P2 is longer than P1.")
    """
    if not isinstance(description, str) or not description.strip():
        raise ValueError("show_figure needs a one-sentence description of what the figure shows.")
    fig.tight_layout()
    _display_with_alt(fig, description.strip())
    print("Figure description:", description.strip())
    plt.close(fig)


def _display_with_alt(fig: plt.Figure, description: str) -> None:
    """Display `fig` in a notebook with `description` saved as the image's alt text.

    The description goes into the output's metadata (``{"image/png": {"alt": ...}}``), where
    the course's HTML export reads it; outside a notebook the figure is shown as usual.
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: no notebook to save the text in
        plt.show()
        return
    if get_ipython() is None:
        plt.show()
        return
    display(fig, metadata={"image/png": {"alt": description}})


def chain_figure(steps: list[str], notes: list[str] | None = None, title: str = "") -> plt.Figure:
    """Draw a chain of relays, left to right: who passed the words on to whom.

    `notes` (optional, one per step) are printed under each box. Boxes alternate
    hatching as well as colour, so the chain reads in greyscale.

    >>> fig = chain_figure(["Speaker", "Readout", "Article"])
    >>> len(fig.axes[0].patches)
    3
    >>> plt.close(fig)
    """
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots(figsize=(1.9 * len(steps) + 0.6, 2.4))
    ax.set_xlim(0, len(steps))
    ax.set_ylim(0, 1)
    ax.axis("off")
    for i, step in enumerate(steps):
        colour = PALETTE_LIST[i % len(PALETTE_LIST)]
        ax.add_patch(FancyBboxPatch((i + 0.08, 0.45), 0.84, 0.4, boxstyle="round,pad=0.02",
                                    facecolor=colour, alpha=0.25, edgecolor=colour,
                                    hatch=HATCHES[i % 2], linewidth=2))
        ax.text(i + 0.5, 0.65, step, ha="center", va="center", fontsize=9, wrap=True)
        if notes:
            ax.text(i + 0.5, 0.3, notes[i], ha="center", va="top", fontsize=8, color="#333333")
        if i:
            ax.annotate("", xy=(i + 0.08, 0.65), xytext=(i - 0.08, 0.65),
                        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5})
    if title:
        ax.set_title(title)
    return fig


def grid_figure(table, row: str, column: str, colour_by: str | None = None,
                columns_order: list[str] | None = None, colour_order: list[str] | None = None) -> plt.Figure:
    """Plot which row goes with which column, as a grid of markers (one per table row).

    For example, which name for an event (row) each voice (column) uses, with the
    marker's colour and shape standing for the name's register (colour_by). Each
    category of `colour_by` gets its own colour *and* marker, listed in a legend;
    `colour_order` fixes which category gets which, so they match across figures.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"name": ["crisis", "invasion"], "voice": ["A", "B"], "kind": ["vague", "plain"]})
    >>> fig = grid_figure(t, "name", "voice", colour_by="kind")
    >>> [label.get_text() for label in fig.axes[0].get_xticklabels()]
    ['A', 'B']
    >>> plt.close(fig)
    """
    rows = list(dict.fromkeys(table[row]))
    columns = columns_order or list(dict.fromkeys(table[column]))
    fig, ax = plt.subplots(figsize=(1.6 * len(columns) + 3.5, 0.45 * len(rows) + 1.4))
    groups = list(dict.fromkeys(list(colour_order or []) + list(table[colour_by]))) if colour_by else [None]
    for i, group in enumerate(groups):
        part = table if group is None else table[table[colour_by] == group]
        if part.empty:
            continue
        x = [columns.index(c) for c in part[column] if c in columns]
        y = [rows.index(r) for r, c in zip(part[row], part[column]) if c in columns]
        ax.scatter(x, y, s=140, color=PALETTE_LIST[i % len(PALETTE_LIST)],
                   marker=MARKERS[i % len(MARKERS)], label=group, zorder=3)
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(True, color="#dddddd", zorder=0)
    if colour_by:
        ax.legend(title=colour_by, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


def grid_description(table, row: str, column: str) -> str:
    """Say in words what a grid_figure shows: for each column, its rows.

    >>> import pandas as pd
    >>> grid_description(pd.DataFrame({"name": ["crisis", "war"], "voice": ["A", "A"]}), "name", "voice")
    'A: crisis, war.'
    """
    parts = [f"{col}: {', '.join(table.loc[table[column] == col, row])}"
             for col in dict.fromkeys(table[column])]
    return "; ".join(parts) + "."


def readouts_figure(comparison) -> plt.Figure:
    """Two bars, one per readout: its topics in order of first appearance, each as wide as its share of words.

    Each topic keeps one colour and hatching in both bars, with its number printed on it,
    so the bars read in greyscale; the legend names the numbers. Pair it with
    `readouts_description(comparison)`.
    """
    names = comparison.names
    topics = list(comparison.topics.index)
    fig, ax = plt.subplots(figsize=(9, 2.2 + 0.28 * len(topics)))
    for row, name in enumerate(names):
        left = 0.0
        for topic in comparison.order[name].dropna():
            number = topics.index(topic)
            share = float(comparison.topics.loc[topic, f"share of {name}"])
            ax.barh(row, share, left=left, color=PALETTE_LIST[number % len(PALETTE_LIST)],
                    hatch=HATCHES[(number // len(PALETTE_LIST)) % len(HATCHES)], edgecolor="white",
                    label=f"{number + 1} {topic}" if row == 0 or not comparison.topics.loc[topic, f"in {names[0]}"]
                    else None)
            if share >= 0.04:
                ax.text(left + share / 2, row, str(number + 1), ha="center", va="center", fontsize=9,
                        color="black", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
            left += share
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Share of the readout's words, topics in order of first appearance (left = first)")
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: int(labels[i].split()[0]))
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left",
              bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9, title="Topic")
    return fig


def readouts_description(comparison) -> str:
    """Say in words what `readouts_figure` shows: each readout's topics in order, with their shares."""
    parts = []
    for name in comparison.names:
        listing = ", ".join(f"{topic} {comparison.topics.loc[topic, f'share of {name}']:.0%}"
                            for topic in comparison.order[name].dropna())
        parts.append(f"{name}: {listing}")
    return "Bars of topics in order of first appearance, each as wide as its share of words. " + "; ".join(parts) + "."
