"""Converts an executed notebook to one HTML page, SVG figures embedded as images.

Usage: python3 to_html.py NOTEBOOK.ipynb OUT.html
"""
import base64
import os
import re
import sys

import nbformat
from nbconvert import HTMLExporter


def svg_data_uri(svg):
    if isinstance(svg, list):
        svg = "".join(svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_fit_style(svg):
    """CSS for the <img> of an SVG figure: as wide as the page allows, at most its natural width
    (its width attribute, the max-width the lib gives a wide figure, or its viewBox width)."""
    if isinstance(svg, list):
        svg = "".join(svg)
    root = re.search(r"<svg\b[^>]*>", svg)
    tag = root.group(0) if root else ""
    width = re.search(r'\swidth="([\d.]+)(px|pt)?"', tag)
    cap = re.search(r"max-width:\s*([\d.]+)px", tag)
    box = re.search(r'\sviewBox="[\d.\s,-]*?([\d.]+)[\s,]+[\d.]+"', tag)
    if width:
        natural = float(width.group(1)) * (4 / 3 if width.group(2) == "pt" else 1)
    elif cap:
        natural = float(cap.group(1))
    elif box:
        natural = float(box.group(1))
    else:
        return "max-width: 100%"
    return f"width: 100%; max-width: {round(natural, 2)}px"


def main():
    source, target = sys.argv[1], sys.argv[2]
    exporter = HTMLExporter(
        template_name="dlnb",
        extra_template_basedirs=[os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")],
        filters={"svg_data_uri": svg_data_uri, "svg_fit_style": svg_fit_style},
    )
    body, _ = exporter.from_notebook_node(nbformat.read(source, as_version=4))
    with open(target, "w", encoding="utf-8") as f:
        f.write(body)


if __name__ == "__main__":
    main()
