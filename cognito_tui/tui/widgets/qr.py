"""A QR code drawn with half-block characters, two modules per character cell."""

from __future__ import annotations


def qr_lines(data: str, border: int = 2) -> list[str]:
    import segno  # only when a QR is drawn

    matrix = [list(row) for row in segno.make(data, error="m").matrix_iter(scale=1, border=border)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    chars = {(0, 0): "█", (1, 0): "▄", (0, 1): "▀", (1, 1): " "}  # (top dark, bottom dark) on a light field
    lines = []
    for top, bottom in zip(matrix[0::2], matrix[1::2], strict=False):
        lines.append("".join(chars[(bool(t), bool(b))] for t, b in zip(top, bottom, strict=True)))
    return lines
