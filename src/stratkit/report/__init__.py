"""Reports: HTML board pack, Markdown, terminal, and the SVG pieces they share."""
