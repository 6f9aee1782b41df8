"""Converts an executed notebook to one HTML page, SVG figures embedded as images.

Usage: python3 to_html.py NOTEBOOK.ipynb OUT.html
"""
import base64
import os
import sys

import nbformat
from nbconvert import HTMLExporter


def svg_data_uri(svg):
    if isinstance(svg, list):
        svg = "".join(svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def main():
    source, target = sys.argv[1], sys.argv[2]
    exporter = HTMLExporter(
        template_name="dlnb",
        extra_template_basedirs=[os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")],
        filters={"svg_data_uri": svg_data_uri},
    )
    body, _ = exporter.from_notebook_node(nbformat.read(source, as_version=4))
    with open(target, "w", encoding="utf-8") as f:
        f.write(body)


if __name__ == "__main__":
    main()
