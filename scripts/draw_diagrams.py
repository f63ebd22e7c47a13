"""Draw the architecture diagrams the notebook shows, into data/images/.

Run from the repository root:

    .venv/bin/python scripts/draw_diagrams.py

It writes cnn_architecture.png (Q2, SPEC section 5), rnn_architecture.png and
lstm_architecture.png (Q4, SPEC section 7), with matplotlib only. Shape letters:
B batch, T sequence length, E embedding size, H hidden units, V vocabulary size.
"""

import argparse
from pathlib import Path
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")  # files only; no display needed
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

COLOURS = {
    "input": "#e8e8e8", "conv": "#cfe2f3", "pool": "#d9ead3", "dropout": "#fff2cc",
    "dense": "#f4cccc", "embed": "#d9d2e9", "recurrent": "#cfe2f3", "adapter": "#d9ead3",
}
BOX_W, BOX_H = 1.75, 1.05
DPI = 110


class Block(NamedTuple):
    """One layer box: a bold title, a detail line, and the shape that leaves it."""

    title: str
    detail: str
    shape: str
    kind: str


CNN_FEATURES = [
    Block("Input", "grayscale MRI", "1×84×84", "input"),
    Block("Conv 3×3", "1→8, pad 1\nLeakyReLU", "8×84×84", "conv"),
    Block("Conv 3×3", "8→32, pad 1\nLeakyReLU", "32×84×84", "conv"),
    Block("MaxPool 2", "stride 2", "32×42×42", "pool"),
    Block("Dropout", "p = 0.2", "32×42×42", "dropout"),
    Block("Conv 3×3", "32→32, pad 1\nLeakyReLU", "32×42×42", "conv"),
    Block("Conv 3×3", "32→64, pad 1\nLeakyReLU", "64×42×42", "conv"),
]
CNN_HEAD = [
    Block("MaxPool 2", "stride 2", "64×21×21", "pool"),
    Block("Dropout", "p = 0.2", "64×21×21", "dropout"),
    Block("AvgPool", "AdaptiveAvgPool2d\noutput 7×7", "64×7×7", "pool"),
    Block("Flatten", "64·7·7", "3136", "input"),
    Block("Linear", "3136→256\nLeakyReLU, Dropout", "256", "dense"),
    Block("Linear", "256→128\nLeakyReLU, Dropout", "128", "dense"),
    Block("Linear", "128→4", "4 logits", "dense"),
]


def draw_box(ax, x, y, block):
    """Draw ``block`` centred at (x, y) with its output shape underneath."""
    ax.add_patch(FancyBboxPatch(
        (x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H, boxstyle="round,pad=0.04",
        facecolor=COLOURS[block.kind], edgecolor="#444444", linewidth=1.0,
    ))
    ax.text(x, y + 0.25, block.title, ha="center", va="center", fontsize=9.5, weight="bold")
    ax.text(x, y - 0.12, block.detail, ha="center", va="center", fontsize=8)
    shape_label(ax, x, y - BOX_H / 2 - 0.22, block.shape, va="center")


def arrow(ax, start, end, linestyle="-"):
    """Draw an arrow from ``start`` to ``end``."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                 color="#444444", linewidth=1.1, linestyle=linestyle))


def shape_label(ax, x, y, text, va):
    """Write a tensor shape in the diagram's shape style."""
    ax.text(x, y, text, ha="center", va=va, fontsize=8, family="monospace", color="#1f4e79")


def draw_row(ax, blocks, y, spacing):
    """Draw ``blocks`` left to right at height ``y``, joined by arrows; return the x centres."""
    xs = [i * spacing for i in range(len(blocks))]
    for i, (x, block) in enumerate(zip(xs, blocks)):
        draw_box(ax, x, y, block)
        if i:
            arrow(ax, (xs[i - 1] + BOX_W / 2 + 0.05, y), (x - BOX_W / 2 - 0.05, y))
    return xs


def new_figure(width, height, title, xlim, ylim):
    """Create a blank figure with data coordinates ``xlim`` x ``ylim``."""
    fig, ax = plt.subplots(figsize=(width, height), dpi=DPI)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.axis("off")
    ax.set_title(title, fontsize=12, weight="bold", loc="left")
    return fig, ax


def draw_cnn(path):
    """Draw the Q2 CNN as two rows: feature extractor, then pooling and classifier."""
    spacing = 2.15
    width = spacing * (len(CNN_FEATURES) - 1)
    fig, ax = new_figure(12.5, 4.6, "Q2 CNN: feature_extractor → avg_pooling → classifier",
                         (-1.0, width + 1.0), (-0.4, 4.1))
    top = draw_row(ax, CNN_FEATURES, 3.0, spacing)
    bottom = draw_row(ax, CNN_HEAD, 0.75, spacing)
    # Elbow from the end of the top row back to the start of the bottom row.
    turn = (3.0 + 0.75) / 2 + 0.05
    ax.plot([top[-1], top[-1], bottom[0]], [3.0 - BOX_H / 2 - 0.4, turn, turn],
            color="#444444", linewidth=1.1)
    arrow(ax, (bottom[0], turn), (bottom[0], 0.75 + BOX_H / 2 + 0.05))
    ax.text(width / 2, -0.35, "LeakyReLU has slope 0.01; shapes are per image "
            "(channels × height × width); the batch dimension N is left out.",
            ha="center", fontsize=8.5, style="italic")
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def sequence_blocks(cell):
    """Blocks of the Q4 character model around the recurrent ``cell`` ("RNN" or "LSTM")."""
    return [
        Block("Input", "character indices", "(B, T)", "input"),
        Block("Embedding", "V → E", "(B, T, E)", "embed"),
        Block(cell, "E → H\nbatch_first", "", "recurrent"),
        Block("Adapter", f"{cell}OutputAdapter\nkeeps h_n[-1]", "(B, H)", "adapter"),
        Block("Linear", "H → V", "(B, V) logits", "dense"),
    ]


def draw_sequence_model(path, cell):
    """Draw Embedding → ``cell`` → output adapter → Linear with the tensor shapes."""
    blocks = sequence_blocks(cell)
    # The gap after the recurrent layer is wider: it carries the returned tuple.
    xs = [0.0, 2.6, 5.2, 8.9, 11.5]
    fig, ax = new_figure(11.5, 3.0, f"Q4 {cell}: next-character model",
                         (-1.0, xs[-1] + 1.0), (-0.3, 2.6))
    y = 1.3
    for i, (x, block) in enumerate(zip(xs, blocks)):
        draw_box(ax, x, y, block)
        if i and i != 3:
            arrow(ax, (xs[i - 1] + BOX_W / 2 + 0.05, y), (x - BOX_W / 2 - 0.05, y))
    # The recurrent layer returns a tuple; the adapter keeps the final hidden state.
    state = "h_n: (1, B, H)" if cell == "RNN" else "(h_n, c_n):\neach (1, B, H)"
    left, right = xs[2] + BOX_W / 2 + 0.05, xs[3] - BOX_W / 2 - 0.05
    middle = (left + right) / 2
    arrow(ax, (left, y + 0.25), (right, y + 0.25), linestyle="--")
    shape_label(ax, middle, y + 0.33, "output: (B, T, H)\n(not used)", va="bottom")
    arrow(ax, (left, y - 0.25), (right, y - 0.25))
    shape_label(ax, middle, y - 0.33, state, va="top")
    ax.text(xs[-1] / 2, -0.25, "B batch, T sequence_len, E embedding_dim, H hidden units, "
            "V vocab_size", ha="center", fontsize=8.5, style="italic")
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description="Draw the CNN, RNN and LSTM diagrams.")
    parser.add_argument("--out", default="data/images", help="folder for the PNG files")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    draw_cnn(out / "cnn_architecture.png")
    draw_sequence_model(out / "rnn_architecture.png", "RNN")
    draw_sequence_model(out / "lstm_architecture.png", "LSTM")
    for name in ("cnn", "rnn", "lstm"):
        path = out / f"{name}_architecture.png"
        print(f"Wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
